import { rename, rm, writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { lakeSchema, packedColumns, type PackedBatch } from './parquet-columns';
import { encodeLakeParquet } from './parquet-plain-encoder';

/** One file to write: where, what, how. */
export interface EncodeJob {
  readonly path: string;
  readonly tmp: string;
  readonly packed: PackedBatch;
  readonly names: readonly string[];
  readonly codec: 'UNCOMPRESSED' | 'SNAPPY';
  readonly writerId: string;
}

/** SNAPPY files go through hyparquet-writer (generic, ~15-30 µs per row); loaded on first use. */
async function encodeSnappy(job: EncodeJob): Promise<ArrayBuffer> {
  writer ??= import('hyparquet-writer');
  const { parquetWriteBuffer } = await writer;
  return parquetWriteBuffer({
    columnData: packedColumns(job.packed, job.names),
    schema: lakeSchema(job.names),
    codec: job.codec,
    kvMetadata: [{ key: 'lead_scoring.writer', value: job.writerId }],
  });
}

let writer: Promise<typeof import('hyparquet-writer')> | null = null;

/**
 * Encodes a packed batch as Parquet and writes it atomically (temp name in the same folder, then rename).
 * Runs on the main thread or in the sink's worker thread. UNCOMPRESSED (the default) uses the lake's own
 * encoder (parquet-plain-encoder.ts, ~1-2 µs per row); SNAPPY uses hyparquet-writer.
 */
export async function encodeAndWrite(job: EncodeJob): Promise<void> {
  const bytes = job.codec === 'UNCOMPRESSED' ? encodeLakeParquet(job.packed, job.names, job.writerId) : await encodeSnappy(job);
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- under the configured LAKE_DIR, names built by the sink
  await mkdir(dirname(job.path), { recursive: true });
  try {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- same folder
    await writeFile(job.tmp, bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes));
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- same folder: rename is atomic there
    await rename(job.tmp, job.path);
  } catch (err) {
    await rm(job.tmp, { force: true });
    throw err;
  }
}
