import { mkdirSync, renameSync } from 'node:fs';
import { rename, rm, writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { WireBatch } from './packed-wire';
import { lakeSchema, packedColumns, type PackedBatch } from './parquet-columns';
import { ByteWriter } from './byte-writer';
import { LakeFiles } from './lake-file';
import { encodeLakeParquet } from './parquet-plain-encoder';

/** One file to write: where, what, how. */
export interface EncodeJob {
  readonly path: string;
  readonly tmp: string;
  readonly packed: PackedBatch;
  readonly names: readonly string[];
  readonly codec: 'UNCOMPRESSED' | 'SNAPPY';
  readonly writerId: string;
  /** O_DIRECT on the blocking path (see lake-file.ts); otherwise through the page cache. */
  readonly directIo: boolean;
}

/** An encode job as posted to the worker thread: the batch in its wire form. */
export type WireJob = Omit<EncodeJob, 'packed'> & { readonly wire: WireBatch };

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
 * UNCOMPRESSED (the default) uses the lake's own encoder (parquet-plain-encoder.ts, ~0.3-0.4 µs per row);
 * SNAPPY uses hyparquet-writer. `sync` (the sink's worker thread, which has nothing else to do) uses
 * blocking file calls, no thread-pool round trips per file, streams the file a row group at a time, and
 * writes it past the page cache (lake-file.ts).
 */
export async function encodeAndWrite(job: EncodeJob, opts: { sync?: boolean } = {}): Promise<void> {
  // One output buffer is reused across files (taken while a write is pending, so concurrent jobs get their own).
  const out = spareOut ?? new ByteWriter(1 << 20);
  spareOut = null;
  const folder = dirname(job.path);
  try {
    /* eslint-disable security/detect-non-literal-fs-filename -- under the configured LAKE_DIR, names built by the sink */
    if (opts.sync && job.codec === 'UNCOMPRESSED') {
      if (!knownFolders.has(folder)) mkdirSync(folder, { recursive: true });
      const file = (job.directIo ? directFiles : bufferedFiles).open(job.tmp);
      try {
        encodeLakeParquet(job.packed, job.names, job.writerId, out, (pieces) => file.write(pieces));
      } catch (err) {
        file.abort();
        throw err;
      }
      file.close();
      renameSync(job.tmp, job.path); // same folder: atomic
    } else {
      const bytes = job.codec === 'UNCOMPRESSED' ? encodeLakeParquet(job.packed, job.names, job.writerId, out) : new Uint8Array(await encodeSnappy(job));
      if (!knownFolders.has(folder)) await mkdir(folder, { recursive: true });
      await writeFile(job.tmp, bytes);
      await rename(job.tmp, job.path);
    }
    rememberFolder(folder);
  } catch (err) {
    knownFolders.delete(folder); // e.g. removed under us: the retry creates it again
    await rm(job.tmp, { force: true });
    /* eslint-enable security/detect-non-literal-fs-filename */
    throw err;
  } finally {
    if (out.buf.length <= MAX_SPARE_BYTES) spareOut = out;
  }
}

const MAX_SPARE_BYTES = 64 << 20;
let spareOut: ByteWriter | null = null;
/** The thread's file writers: O_DIRECT (one 4 MiB aligned staging area, made on the first file) or buffered. */
const directFiles = new LakeFiles();
const bufferedFiles = new LakeFiles({ direct: false });
/** Partition folders known to exist (one per hour): mkdir once, not per file. */
const knownFolders = new Set<string>();

function rememberFolder(folder: string): void {
  if (knownFolders.size >= 64) knownFolders.clear();
  knownFolders.add(folder);
}
