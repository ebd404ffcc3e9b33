import { rename, rm, writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { lakeSchema, packedColumns, type PackedBatch } from './parquet-columns';

/** One file to write: where, what, how. */
export interface EncodeJob {
  readonly path: string;
  readonly tmp: string;
  readonly packed: PackedBatch;
  readonly names: readonly string[];
  readonly codec: 'UNCOMPRESSED' | 'SNAPPY';
  readonly writerId: string;
}

let writer: Promise<typeof import('hyparquet-writer')> | null = null;

/**
 * Encodes a packed batch as Parquet and writes it atomically (temp name in the same folder, then rename).
 * Runs on the main thread or in the sink's worker thread. hyparquet-writer is loaded on first use.
 */
export async function encodeAndWrite(job: EncodeJob): Promise<void> {
  writer ??= import('hyparquet-writer');
  const { parquetWriteBuffer } = await writer;
  const bytes = parquetWriteBuffer({
    columnData: packedColumns(job.packed, job.names),
    schema: lakeSchema(job.names),
    codec: job.codec,
    kvMetadata: [{ key: 'lead_scoring.writer', value: job.writerId }],
  });
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- under the configured LAKE_DIR, names built by the sink
  await mkdir(dirname(job.path), { recursive: true });
  try {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- same folder
    await writeFile(job.tmp, new Uint8Array(bytes));
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- same folder: rename is atomic there
    await rename(job.tmp, job.path);
  } catch (err) {
    await rm(job.tmp, { force: true });
    throw err;
  }
}
