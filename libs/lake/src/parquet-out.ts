import { open } from 'node:fs/promises';
import { tableToIPC, type Table } from 'apache-arrow';
import * as pw from 'parquet-wasm/node';

/** The record columns of float32 values (the list's leaf named by its Parquet path): encoded like the features. */
const FLOAT_RECORD_COLUMNS = [
  'probabilities.list.element',
  'probability',
  'latency_ms',
  'shadow_probabilities.list.element',
  'shadow_probability',
];

/** Rows per Parquet row group: DuckDB's default (122,880) rounded up; readers skip and parallelise by row group. */
const ROW_GROUP_ROWS = 131_072;

/**
 * Writer properties of every lake file: ZSTD pages; the feature columns BYTE_STREAM_SPLIT without a dictionary,
 * which float32 values compress best with and cost least to encode (docs/adr/0006-lake-parquet-library.md);
 * the other columns keep the writer's default dictionary (ids repeated per request, model name and version).
 */
function writerProperties(featureNames: readonly string[], codec: 'zstd' | 'snappy'): pw.WriterProperties {
  const compression = codec === 'zstd' ? pw.Compression.ZSTD : pw.Compression.SNAPPY;
  let b = new pw.WriterPropertiesBuilder().setCompression(compression).setMaxRowGroupSize(ROW_GROUP_ROWS);
  for (const f of [...featureNames, ...FLOAT_RECORD_COLUMNS])
    b = b.setColumnDictionaryEnabled(f, false).setColumnEncoding(f, pw.Encoding.BYTE_STREAM_SPLIT);
  return b.build();
}

/** Something that yields record batches for one file: Arrow JS tables (new leads) or Parquet bytes (files to merge). */
export type ParquetSource =
  { readonly kind: 'arrow'; readonly table: Table } | { readonly kind: 'parquet'; readonly bytes: Uint8Array };

/**
 * Streams sources into one Parquet file at `path` (ZSTD; Snappy only for the library bench) (row group by row group, so memory holds about one), then
 * fsyncs and closes it. All sources share one schema. Resolves with the rows written.
 *
 * @example
 * await writeParquetFile(tmp, names, (async function* () { yield { kind: 'arrow', table: lakeTable(reqs, names) }; })());
 */
export async function writeParquetFile(
  path: string,
  featureNames: readonly string[],
  sources: AsyncIterator<ParquetSource>,
  codec: 'zstd' | 'snappy' = 'zstd',
): Promise<number> {
  let rows = 0;
  // parquet-wasm does not pass an error of its input stream on to its output (the writer then waits forever):
  // a source that fails rejects this promise, which the write below races.
  let fail!: (err: unknown) => void;
  const failed = new Promise<never>((_, reject) => (fail = reject));
  failed.catch(() => undefined);
  const input = new ReadableStream<pw.RecordBatch>(
    {
      async pull(ctl) {
        try {
          await pullSource(ctl);
        } catch (err) {
          fail(err);
          throw err;
        }
      },
    },
    { highWaterMark: 1 },
  );
  async function pullSource(ctl: ReadableStreamDefaultController<pw.RecordBatch>): Promise<void> {
    const next = await sources.next();
    if (next.done) {
      ctl.close();
      return;
    }
    const s = next.value;
    const table = s.kind === 'arrow' ? pw.Table.fromIPCStream(tableToIPC(s.table, 'stream')) : pw.readParquet(s.bytes);
    try {
      for (const batch of table.recordBatches()) {
        rows += batch.numRows;
        ctl.enqueue(batch);
      }
    } finally {
      // wasm memory is freed only by hand (or a late finalizer): without it each batch's copy stays resident.
      table.free();
    }
  }
  const output = await pw.transformParquetStream(input, writerProperties(featureNames, codec));
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- a temporary file of the lake
  const handle = await open(path, 'w');
  try {
    const write = async (): Promise<void> => {
      for await (const chunk of output as unknown as AsyncIterable<Uint8Array>) await handle.write(chunk);
    };
    await Promise.race([write(), failed]);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return rows;
}
