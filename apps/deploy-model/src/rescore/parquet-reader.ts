import { open, type FileHandle } from 'node:fs/promises';
import type { ColumnChunk, FileMetaData, ParquetParsers, SchemaTree } from 'hyparquet';
import { DeployError, unreadable } from '../errors';
import type { ColumnBlock } from './column-decoder';
import type { ColumnPlan } from './column-plan';
import { PageScratch } from './parquet-numeric-page';
import { emptyTextSlot, PageCursor, type ColumnDecoder, type PageDecoders, type PageValues } from './parquet-pages';
import type { TextSlot } from './parquet-text-page';

/** A Parquet input: its top-level columns and rows, read block by block. */
export interface ParquetInput {
  readonly columns: readonly string[];
  readonly numRows: number;
  /** Blocks of at most `rowsPerBlock` rows: the planned feature columns as numbers, the id and kept columns as text. */
  blocks(plan: ColumnPlan, rowsPerBlock: number): AsyncGenerator<ColumnBlock>;
  /** Takes back a block's values buffer (a worker is done with it) to fill again. */
  recycle(buffer: ArrayBuffer): void;
  close(): Promise<void>;
}

const NUMERIC = new Set(['INT32', 'INT64', 'FLOAT', 'DOUBLE', 'BOOLEAN']);
const NOT_A_NUMBER = new Set([
  'DATE',
  'TIME_MILLIS',
  'TIME_MICROS',
  'TIMESTAMP_MILLIS',
  'TIMESTAMP_MICROS',
  'INTERVAL',
  'UTF8',
  'JSON',
  'BSON',
  'ENUM',
]);
const BUILT_IN_CODECS = new Set(['UNCOMPRESSED', 'SNAPPY']);
/** Block buffers kept for reuse: blocks come back as fast as they go out, so a few suffice. */
const SPARE_BLOCKS = 4;

type Codec = PageDecoders & {
  parquetMetadataAsync: typeof import('hyparquet').parquetMetadataAsync;
  parquetSchema: typeof import('hyparquet').parquetSchema;
  defaultParsers: ParquetParsers;
};

async function loadCodec(needsCompressors: boolean): Promise<Codec> {
  // hyparquet ships as ES modules only; dynamic imports keep this CommonJS-compiled CLI loading it.
  const [column, datapage, plain, convert, schema, encoding, main] = await Promise.all([
    import('hyparquet/src/column.js'),
    import('hyparquet/src/datapage.js'),
    import('hyparquet/src/plain.js'),
    import('hyparquet/src/convert.js'),
    import('hyparquet/src/schema.js'),
    import('hyparquet/src/encoding.js'),
    import('hyparquet'),
  ]);
  const compressors = needsCompressors ? (await import('hyparquet-compressors')).compressors : undefined;
  return {
    parquetHeader: column.parquetHeader,
    decompressPage: datapage.decompressPage,
    readDataPage: datapage.readDataPage,
    readDataPageV2: datapage.readDataPageV2,
    readPlain: plain.readPlain,
    convert: convert.convert,
    convertWithDictionary: convert.convertWithDictionary,
    getMaxDefinitionLevel: schema.getMaxDefinitionLevel,
    readRleBitPackedHybrid: encoding.readRleBitPackedHybrid,
    byteStreamSplit: encoding.byteStreamSplit,
    snappyUncompress: main.snappyUncompress,
    compressors,
    parquetMetadataAsync: main.parquetMetadataAsync,
    parquetSchema: main.parquetSchema,
    defaultParsers: convert.DEFAULT_PARSERS,
  };
}

/**
 * Opens a Parquet file for rescoring: reads its footer (hyparquet) and checks its columns are flat. Rows are
 * read row group by row group, and within a row group page by page (parquet-pages.ts), so memory holds one
 * page per planned column whatever the row group size.
 *
 * @example const input = await openParquetInput('leads.parquet'); input.columns // ['lead_id', ...]
 */
export async function openParquetInput(file: string): Promise<ParquetInput> {
  let handle: FileHandle;
  try {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- the operator names the input file
    handle = await open(file, 'r');
  } catch (cause) {
    throw unreadable('input', file, cause);
  }
  try {
    const { size } = await handle.stat();
    const probe = await loadCodec(false);
    const metadata = await probe.parquetMetadataAsync({
      byteLength: size,
      slice: async (start, end) => {
        const buf = new Uint8Array((end ?? size) - start);
        await handle.read(buf, 0, buf.length, start);
        return buf.buffer;
      },
    });
    return new ParquetFile(file, handle, metadata, probe.parquetSchema(metadata));
  } catch (cause) {
    await handle.close();
    if (cause instanceof DeployError) throw cause;
    throw new DeployError('INPUT_INVALID', `${file} is not a readable Parquet file: ${(cause as Error).message}`, {
      cause,
    });
  }
}

class ParquetFile implements ParquetInput {
  readonly columns: readonly string[];
  readonly numRows: number;
  private readonly top: SchemaTree[];
  private readonly spare: ArrayBuffer[] = [];
  private readonly scratch = new PageScratch();
  private readonly pages = new Map<number, { page: Float64Array; text: TextSlot }>();

  constructor(
    private readonly file: string,
    private readonly handle: FileHandle,
    private readonly metadata: FileMetaData,
    private readonly root: SchemaTree,
  ) {
    this.top = root.children;
    this.columns = this.top.map((c) => c.element.name);
    this.numRows = Number(metadata.num_rows);
  }

  async *blocks(plan: ColumnPlan, rowsPerBlock: number): AsyncGenerator<ColumnBlock> {
    const features = plan.featureOf.flatMap((f, c) => (f >= 0 ? [c] : []));
    const texts = [...(plan.idColumn >= 0 ? [plan.idColumn] : []), ...plan.keepColumns];
    for (const c of features) this.checkColumn(c, 'feature');
    for (const c of texts) this.checkColumn(c, c === plan.idColumn ? 'id' : 'kept');
    const wanted = [...features, ...texts];
    const codecs = this.metadata.row_groups.flatMap((g) =>
      g.columns.map((ch) => ch.meta_data?.codec ?? 'UNCOMPRESSED'),
    );
    const codec = await loadCodec(codecs.some((c) => !BUILT_IN_CODECS.has(c)));
    for (const group of this.metadata.row_groups) {
      const groupRows = Number(group.num_rows);
      const cursors = wanted.map((c, i) => new ColumnReader(this.cursor(group.columns, c, codec, i < features.length)));
      for (let done = 0; done < groupRows;) {
        const n = Math.min(rowsPerBlock, groupRows - done);
        const size = features.length * n;
        const i = this.spare.findIndex((b) => b.byteLength >= size * 8);
        const values = new Float64Array(
          i >= 0 ? this.spare.splice(i, 1)[0]! : new ArrayBuffer(features.length * rowsPerBlock * 8),
          0,
          size,
        );
        for (let i = 0; i < features.length; i++) await cursors[i]!.numbers(n, values, i * n);
        // One column at a time: the columns share one read buffer.
        const text: (string | null)[][] = [];
        for (let t = 0; t < texts.length; t++) {
          const out = new Array<string | null>(n);
          await cursors[features.length + t]!.texts(n, out);
          text.push(out);
        }
        const ids = plan.idColumn >= 0 ? text[0]! : null;
        yield { nRows: n, values, ids, kept: plan.idColumn >= 0 ? text.slice(1) : text };
        done += n;
      }
    }
  }

  recycle(buffer: ArrayBuffer): void {
    if (this.spare.length < SPARE_BLOCKS) this.spare.push(buffer);
  }

  async close(): Promise<void> {
    await this.handle.close();
  }

  private checkColumn(c: number, role: 'feature' | 'id' | 'kept'): void {
    const tree = this.top[c]!;
    const { name, type, converted_type: converted, logical_type: logical } = tree.element;
    const where = `${this.file}: column ${name}`;
    if (tree.children.length > 0 || tree.element.repetition_type === 'REPEATED')
      throw new DeployError('INPUT_INVALID', `${where} is nested or repeated; it must be a flat column`);
    if (
      role === 'feature' &&
      (!NUMERIC.has(type ?? '') ||
        NOT_A_NUMBER.has(converted ?? '') ||
        (logical !== undefined && ['DATE', 'TIME', 'TIMESTAMP', 'STRING'].includes(logical.type)))
    ) {
      throw new DeployError(
        'INPUT_INVALID',
        `${where} is ${converted ?? logical?.type ?? type}; a feature column must hold numbers (integers, floats, decimals or booleans)`,
      );
    }
    if (role === 'id' && !['BYTE_ARRAY', 'INT32', 'INT64', 'FIXED_LEN_BYTE_ARRAY'].includes(type ?? '')) {
      throw new DeployError('INPUT_INVALID', `${where} is ${type}; the id column must hold text or integers`);
    }
  }

  private cursor(chunks: readonly ColumnChunk[], c: number, codec: Codec, asNumbers: boolean): PageCursor {
    const tree = this.top[c]!;
    const chunk = chunks.find(
      (ch) => ch.meta_data?.path_in_schema.length === 1 && ch.meta_data.path_in_schema[0] === tree.element.name,
    );
    if (!chunk?.meta_data)
      throw new DeployError('INPUT_INVALID', `${this.file}: a row group has no data for column ${tree.element.name}`);
    const decoder: ColumnDecoder = {
      pathInSchema: chunk.meta_data.path_in_schema,
      type: chunk.meta_data.type,
      element: tree.element,
      schemaPath: [this.root, tree],
      codec: chunk.meta_data.codec,
      parsers: codec.defaultParsers,
      ...(codec.compressors ? { compressors: codec.compressors } : {}),
      utf8: true,
    };
    let slot = this.pages.get(c);
    if (slot === undefined) this.pages.set(c, (slot = { page: new Float64Array(0), text: emptyTextSlot() }));
    return new PageCursor(this.handle, chunk, decoder, codec, asNumbers, this.scratch, slot);
  }
}

/** One column of a row group, handed out in runs of rows across its pages. */
class ColumnReader {
  private page: PageValues | undefined;
  private offset = 0;

  constructor(private readonly cursor: PageCursor) {}

  async numbers(n: number, out: Float64Array, at: number): Promise<void> {
    for (let filled = 0; filled < n;) {
      const page = await this.current();
      const take = Math.min(n - filled, page.length - this.offset);
      page.copyNumbers(this.offset, take, out, at + filled);
      this.offset += take;
      filled += take;
    }
  }

  async texts(n: number, out: (string | null)[]): Promise<void> {
    for (let filled = 0; filled < n;) {
      const page = await this.current();
      const take = Math.min(n - filled, page.length - this.offset);
      page.copyTexts(this.offset, take, out, filled);
      this.offset += take;
      filled += take;
    }
  }

  private async current(): Promise<PageValues> {
    while (this.page === undefined || this.offset >= this.page.length) {
      this.page = await this.cursor.next();
      this.offset = 0;
      if (this.page === undefined)
        throw new DeployError('INPUT_INVALID', 'a column chunk holds fewer values than its row group has rows');
    }
    return this.page;
  }
}
