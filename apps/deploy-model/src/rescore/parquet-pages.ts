import type { FileHandle } from 'node:fs/promises';
import type { ColumnChunk, Compressors, DecodedArray, PageHeader } from 'hyparquet';
import {
  decodeNumericPage,
  isPlainNumeric,
  openDataPage,
  PageScratch,
  toDoubles,
  type NumericCodec,
} from './parquet-numeric-page';
import { decodeTextPage, type TextPage, type TextSlot } from './parquet-text-page';

type DataPageModule = typeof import('hyparquet/src/datapage.js');
type ConvertModule = typeof import('hyparquet/src/convert.js');

/** hyparquet's description of one column for its page decoders. */
export type ColumnDecoder = Parameters<DataPageModule['readDataPage']>[2];

/** hyparquet's page-level functions (its modules are ES modules, loaded once by the reader). */
export interface PageCodec {
  parquetHeader: typeof import('hyparquet/src/column.js').parquetHeader;
  decompressPage: DataPageModule['decompressPage'];
  readDataPage: DataPageModule['readDataPage'];
  readDataPageV2: DataPageModule['readDataPageV2'];
  readPlain: typeof import('hyparquet/src/plain.js').readPlain;
  convert: ConvertModule['convert'];
  convertWithDictionary: ConvertModule['convertWithDictionary'];
  getMaxDefinitionLevel: typeof import('hyparquet/src/schema.js').getMaxDefinitionLevel;
  compressors: Compressors | undefined;
}

/** Everything the page cursor needs from hyparquet. */
export type PageDecoders = PageCodec & NumericCodec;

/** A data page's values, one per row (null where the file has none), copied out in runs of rows. */
export type PageValues = DecodedPage | TextPage;

/**
 * A page decoded into values: copied out as numbers into a Float64Array (null = NaN; integers, big integers and
 * booleans as numbers), or as text.
 */
export class DecodedPage {
  constructor(
    readonly length: number,
    private readonly values: DecodedArray,
    /** Per row, the index of its value, -1 for null; null when no row is null. */
    private readonly index: Int32Array | null,
  ) {}

  copyNumbers(from: number, count: number, out: Float64Array, at: number): void {
    const { values, index } = this;
    if (index === null && values instanceof Float64Array) {
      out.set(values.subarray(from, from + count), at);
      return;
    }
    for (let i = 0; i < count; i++) {
      const k = index === null ? from + i : index[from + i]!;
      out[at + i] = k < 0 ? Number.NaN : toNumber(values[k]);
    }
  }

  copyTexts(from: number, count: number, out: (string | null)[], at: number): void {
    for (let i = 0; i < count; i++) {
      const k = this.index === null ? from + i : this.index[from + i]!;
      out[at + i] = k < 0 ? null : toText(this.values[k]);
    }
  }
}

/** An empty text slot: it grows with the first page. */
export function emptyTextSlot(): TextSlot {
  return { bytes: Buffer.alloc(0), starts: new Int32Array(0), lengths: new Int32Array(0) };
}

function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  return Number.NaN;
}

function toText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex');
  return typeof v === 'object' ? JSON.stringify(v) : String(v as number);
}

// Bytes read ahead of a page header: headers are small, and the next page usually starts right after.
const READ_AHEAD = 64 << 10;

/**
 * Reads one column chunk of one row group page by page, so memory holds one page of it (about 1 MB in the
 * files pyarrow, DuckDB and parquet-wasm write) rather than the whole chunk: a row group may hold millions of
 * rows. Dictionary pages are kept for the data pages after them.
 *
 * @example const pages = new PageCursor(handle, chunk, decoder, codec); for (let p; (p = await pages.next()); ) use(p);
 */
export class PageCursor {
  private pos: number;
  private readonly end: number;
  private dictionary: DecodedArray | undefined;
  private doubles: Float64Array | undefined;
  private readonly maxDefinition: number;
  /** Plain numbers, decoded by the fast path (parquet-numeric-page.ts). */
  private readonly numeric: boolean;

  /**
   * `asNumbers`: the column is read as numbers (a feature), so plain numeric pages take the fast path, decoded
   * through `scratch` (buffers shared by every column of the reader) into `slot.page`: the column's own buffer,
   * kept from row group to row group, which the next page reuses (the reader moves on only once a page is read).
   */
  constructor(
    private readonly file: FileHandle,
    chunk: ColumnChunk,
    private readonly decoder: ColumnDecoder,
    private readonly codec: PageDecoders,
    asNumbers: boolean,
    private readonly scratch: PageScratch = new PageScratch(),
    private readonly slot: { page: Float64Array; text: TextSlot } = {
      page: new Float64Array(0),
      text: emptyTextSlot(),
    },
  ) {
    this.numeric = asNumbers && isPlainNumeric(decoder);
    const meta = chunk.meta_data!;
    const dict = meta.dictionary_page_offset;
    this.pos = Number(dict !== undefined && dict > 0n && dict < meta.data_page_offset ? dict : meta.data_page_offset);
    this.end = this.pos + Number(meta.total_compressed_size);
    this.maxDefinition = codec.getMaxDefinitionLevel(decoder.schemaPath);
  }

  /**
   * The next data page's values, or undefined at the end of the chunk. Pages are read into the reader's one
   * read buffer and decoded before this resolves, so the reader's columns must call it one at a time.
   */
  async next(): Promise<PageValues | undefined> {
    while (this.pos < this.end) {
      const { header, head } = await this.header();
      const size = header.compressed_page_size;
      const body = head.length >= size ? head.subarray(0, size) : await this.readAt(this.pos, size);
      this.pos += size;
      const values = this.decode(header, body);
      if (values) return values;
    }
    return undefined;
  }

  /** Parses the page header at `pos` (moving `pos` past it); `head` is what was read after it. */
  private async header(): Promise<{ header: PageHeader; head: Uint8Array }> {
    for (let want = READ_AHEAD; ; want *= 4) {
      const bytes = await this.readAt(this.pos, Math.min(want, this.end - this.pos));
      const reader = { view: new DataView(bytes.buffer, bytes.byteOffset, bytes.length), offset: 0 };
      try {
        const header = this.codec.parquetHeader(reader);
        this.pos += reader.offset;
        return { header, head: bytes.subarray(reader.offset) };
      } catch (err) {
        // A header cut off by the end of what was read (huge statistics): read more and parse again.
        if (!(err instanceof RangeError) || this.pos + want >= this.end) throw err;
      }
    }
  }

  /** Bytes [from, from + length) of the file, in the reader's shared read buffer (valid until the next read). */
  private async readAt(from: number, length: number): Promise<Uint8Array> {
    const buf = this.scratch.bytes('read', length);
    let filled = 0;
    while (filled < length) {
      const { bytesRead } = await this.file.read(buf, filled, length - filled, from + filled);
      if (bytesRead === 0)
        throw new Error(`unexpected end of file at byte ${from + filled} (a column chunk runs to ${this.end})`);
      filled += bytesRead;
    }
    return buf;
  }

  private decode(header: PageHeader, body: Uint8Array): PageValues | undefined {
    const c = this.codec;
    const d = this.decoder;
    if (header.type === 'DICTIONARY_PAGE') {
      const page = c.decompressPage(body, header.uncompressed_page_size, d.codec, c.compressors);
      const reader = { view: new DataView(page.buffer, page.byteOffset, page.byteLength), offset: 0 };
      const plain = c.readPlain(reader, d.type, header.dictionary_page_header!.num_values, d.element.type_length);
      this.dictionary = c.convert(plain, d);
      if (this.numeric) toDoubles(plain, (this.doubles = new Float64Array(plain.length)));
      return undefined;
    }
    const data = header.type === 'DATA_PAGE' || header.type === 'DATA_PAGE_V2';
    if (data && (this.numeric || d.type === 'BYTE_ARRAY')) {
      const opened = openDataPage({
        header,
        body,
        decoder: d,
        codec: c,
        maxDefinition: this.maxDefinition,
        scratch: this.scratch,
      });
      if (!this.numeric) {
        const text = decodeTextPage(opened, this.slot.text, this.maxDefinition);
        if (text) return text;
      } else {
        const result = (n: number) =>
          (this.slot.page.length >= n ? this.slot.page : (this.slot.page = new Float64Array(n))).subarray(0, n);
        const doubles = decodeNumericPage(opened, {
          decoder: d,
          codec: c,
          dictionary: this.doubles,
          maxDefinition: this.maxDefinition,
          scratch: this.scratch,
          result,
        });
        if (doubles) return new DecodedPage(doubles.length, doubles, null);
      }
    }
    let levels: number[] | undefined;
    let values: DecodedArray;
    let count: number;
    if (header.type === 'DATA_PAGE') {
      const daph = header.data_page_header!;
      const page = c.decompressPage(body, header.uncompressed_page_size, d.codec, c.compressors);
      const read = c.readDataPage(page, daph, d);
      levels = read.definitionLevels;
      values = c.convertWithDictionary(read.dataPage, this.dictionary, daph.encoding, d);
      count = daph.num_values;
    } else if (header.type === 'DATA_PAGE_V2') {
      const daph = header.data_page_header_v2!;
      const read = c.readDataPageV2(body, header, d);
      levels = read.definitionLevels;
      values = c.convertWithDictionary(read.dataPage, this.dictionary, daph.encoding, d);
      count = daph.num_values;
    } else {
      return undefined;
    }
    if (levels === undefined || levels.length === 0) return new DecodedPage(count, values, null);
    // Nulls have no value in the page: map each row to its value's index, -1 for null.
    const index = new Int32Array(count);
    for (let i = 0, k = 0; i < count; i++) index[i] = levels[i] === this.maxDefinition ? k++ : -1;
    return new DecodedPage(count, values, index);
  }
}
