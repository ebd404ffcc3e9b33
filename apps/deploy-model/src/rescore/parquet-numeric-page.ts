import type { DecodedArray, PageHeader } from 'hyparquet';
import type { ColumnDecoder, PageCodec } from './parquet-pages';

/** hyparquet's value decoders the numeric fast path uses. */
export interface NumericCodec {
  readRleBitPackedHybrid: typeof import('hyparquet/src/encoding.js').readRleBitPackedHybrid;
  byteStreamSplit: typeof import('hyparquet/src/encoding.js').byteStreamSplit;
  snappyUncompress: typeof import('hyparquet').snappyUncompress;
}

/**
 * Buffers pages are decoded through, reused from page to page (one set for the reader: pages are decoded one at
 * a time): a page of a DuckDB row group holds all its 122,880 rows, and fresh arrays per page lived long enough
 * to be promoted, so dead ones piled up to about 100 MB before the main thread's next full collection.
 */
export class PageScratch {
  private buffers = new Map<string, Uint8Array | Int32Array | Float64Array>();

  /** `read`: file bytes of the page being decoded; `page`: its decompressed bytes. */
  bytes(name: 'read' | 'page', n: number): Uint8Array {
    return this.take(name, n, (size) => new Uint8Array(size));
  }

  levels(n: number): Uint8Array {
    return this.take('levels', n, (size) => new Uint8Array(size));
  }

  index(n: number): Int32Array {
    return this.take('index', n, (size) => new Int32Array(size));
  }

  values(n: number): Float64Array {
    return this.take('values', n, (size) => new Float64Array(size));
  }

  private take<T extends Uint8Array | Int32Array | Float64Array>(
    name: string,
    n: number,
    make: (size: number) => T,
  ): T {
    let b = this.buffers.get(name) as T | undefined;
    if (b === undefined || b.length < n) {
      b = make(Math.max(n, Math.ceil((b?.length ?? 0) * 1.5)));
      this.buffers.set(name, b);
    }
    return b.subarray(0, n) as T;
  }
}

const SIGNED_INTEGER = new Set(['INT_8', 'INT_16', 'INT_32', 'INT_64']);

/**
 * True for a flat column of plain numbers (INT32, INT64, FLOAT, DOUBLE, optionally a signed INT_n), which the
 * fast path below reads; DECIMAL, unsigned and other annotated columns go through hyparquet's own conversion.
 */
export function isPlainNumeric(d: ColumnDecoder): boolean {
  const { converted_type: converted, logical_type: logical, repetition_type: repetition } = d.element;
  if (repetition === 'REPEATED' || !['INT32', 'INT64', 'FLOAT', 'DOUBLE'].includes(d.type)) return false;
  if (converted !== undefined && !SIGNED_INTEGER.has(converted)) return false;
  return logical === undefined || (logical.type === 'INTEGER' && logical.isSigned);
}

/**
 * A typed array of plain numbers as doubles. An INT64 value is read as its two 32-bit halves: taking a
 * BigInt64Array element makes a BigInt on the heap, which for a million rows of a few BIGINT columns was a third
 * of the reader's time and most of its garbage.
 */
export function toDoubles(values: DecodedArray, out: Float64Array): void {
  if (values instanceof Float64Array) out.set(values.subarray(0, out.length));
  else if (values instanceof BigInt64Array) {
    const halves = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
    for (let i = 0; i < out.length; i++) out[i] = halves[2 * i + 1]! * 4294967296 + (halves[2 * i]! >>> 0);
  } else for (let i = 0; i < out.length; i++) out[i] = Number(values[i]);
}

/** A data page opened: its value count, encoding, definition levels (undefined: no nulls possible) and value bytes. */
export interface OpenedPage {
  readonly count: number;
  readonly encoding: string;
  readonly levels: Uint8Array | undefined;
  /** Values present (not null). */
  readonly present: number;
  /** The encoded values, after the levels, decompressed. */
  readonly page: Uint8Array;
}

/**
 * Decompresses a data page (V1 or V2) into the reader's scratch and reads its definition levels into bytes.
 *
 * @example const opened = openDataPage({ header, body, decoder, codec, maxDefinition: 1, scratch });
 */
export function openDataPage(p: {
  header: PageHeader;
  body: Uint8Array;
  decoder: ColumnDecoder;
  codec: PageCodec & NumericCodec;
  maxDefinition: number;
  scratch: PageScratch;
}): OpenedPage {
  const { header, body, decoder: d, codec: c, maxDefinition, scratch } = p;
  const decompress = (bytes: Uint8Array, size: number): Uint8Array => {
    if (d.codec !== 'SNAPPY') return c.decompressPage(bytes, size, d.codec, c.compressors);
    const out = scratch.bytes('page', size);
    c.snappyUncompress(bytes, out);
    return out;
  };
  let count: number;
  let encoding: string;
  let levels: Uint8Array | undefined;
  let page: Uint8Array;
  if (header.type === 'DATA_PAGE') {
    const daph = header.data_page_header!;
    count = daph.num_values;
    encoding = daph.encoding;
    page = decompress(body, header.uncompressed_page_size);
    const reader = { view: view(page), offset: 0 };
    if (maxDefinition > 0) {
      levels = scratch.levels(count);
      c.readRleBitPackedHybrid(reader, bitWidth(maxDefinition), levels);
    }
    page = page.subarray(reader.offset);
  } else {
    const daph = header.data_page_header_v2!;
    count = daph.num_values;
    encoding = daph.encoding;
    const skip = daph.repetition_levels_byte_length + daph.definition_levels_byte_length;
    if (maxDefinition > 0) {
      levels = scratch.levels(count);
      const at = { view: view(body.subarray(daph.repetition_levels_byte_length, skip)), offset: 0 };
      c.readRleBitPackedHybrid(at, bitWidth(maxDefinition), levels, daph.definition_levels_byte_length);
    }
    page = body.subarray(skip);
    const size = header.uncompressed_page_size - skip;
    if (daph.is_compressed !== false && size > 0) page = decompress(page, size);
  }
  let present = count;
  if (levels) for (let i = 0; i < count; i++) present -= levels[i]! === maxDefinition ? 0 : 1;
  return { count, encoding, levels, present, page };
}

/**
 * Decodes an opened data page of a plain numeric column straight into doubles (NaN = null), with no array per
 * value: dictionary indices into an Int32Array, values through a dictionary already in doubles. Writes into
 * `result(count)`, the column's own buffer, which holds the page until it is read. Returns undefined for an
 * encoding it does not know (the caller then uses hyparquet's general path).
 *
 * @example decodeNumericPage(openDataPage(...), { decoder, codec, dictionary, maxDefinition: 1, scratch, result })
 */
export function decodeNumericPage(
  opened: OpenedPage,
  p: {
    decoder: ColumnDecoder;
    codec: PageCodec & NumericCodec;
    dictionary: Float64Array | undefined;
    maxDefinition: number;
    scratch: PageScratch;
    result: (count: number) => Float64Array;
  },
): Float64Array | undefined {
  const { count, encoding, levels, present, page } = opened;
  const { decoder: d, codec: c, dictionary, maxDefinition, scratch } = p;
  const out = p.result(count);
  const values = present === count ? out : scratch.values(present);
  const reader = { view: view(page), offset: 0 };
  if (encoding === 'PLAIN') toDoubles(c.readPlain(reader, d.type, present, d.element.type_length), values);
  else if (encoding === 'BYTE_STREAM_SPLIT')
    toDoubles(c.byteStreamSplit(reader, present, d.type, d.element.type_length), values);
  else if ((encoding === 'RLE_DICTIONARY' || encoding === 'PLAIN_DICTIONARY') && dictionary) {
    const width = page[0] ?? 0;
    reader.offset = 1;
    const index = scratch.index(present);
    if (width > 0) c.readRleBitPackedHybrid(reader, width, index, page.length - 1);
    for (let i = 0; i < present; i++) values[i] = dictionary[index[i]!]!;
  } else return undefined;
  if (!levels || present === count) return out;
  for (let i = 0, k = 0; i < count; i++) out[i] = levels[i] === maxDefinition ? values[k++]! : Number.NaN;
  return out;
}

const bitWidth = (max: number): number => 32 - Math.clz32(max);

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}
