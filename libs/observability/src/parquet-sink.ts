import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LakeSinkError } from './errors';
import type { LakeRecord } from './lake-record';
import type { LakeSink } from './lake-sink';
import { lakeColumns, lakeSchema } from './parquet-columns';

/** Options of {@link ParquetSink}. */
export interface ParquetSinkOptions {
  /** Lake root (LAKE_DIR, default ./var/lake); files go under `<dir>/scores/dt=YYYY-MM-DD/hour=HH/`. */
  readonly dir: string;
  /** Unique per process; defaults to `<pid>-<random>`, so cluster workers never collide. */
  readonly writerId?: string;
  readonly featureNames?: readonly string[];
  /** Records per file at most (default 10,000). */
  readonly maxBatchRecords?: number;
  /**
   * Default UNCOMPRESSED: hyparquet-writer's pure-JS Snappy roughly doubles the CPU per row
   * (bench/parquet-cost.ts: ~15 vs ~30 µs/row) for files about half the size; the lake's CPU competes
   * with scoring, bytes on a local disk do not.
   */
  readonly codec?: 'UNCOMPRESSED' | 'SNAPPY';
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** Partition folder of a timestamp (UTC): `scores/dt=2024-05-01/hour=07`. */
export function partitionOf(ts: number): string {
  const d = new Date(ts);
  return `scores/dt=${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}/hour=${pad(d.getUTCHours())}`;
}

/**
 * Local lake sink: each `write` produces one Parquet file per hour partition it touches, written under
 * a dot-prefixed temporary name and renamed into place, so readers (which skip dot files) never see a
 * half-written file. hyparquet-writer is loaded on first write, so processes that never write Parquet
 * (Lambda) never load it.
 *
 * @example
 * const sink = new ParquetSink({ dir: process.env.LAKE_DIR ?? './var/lake' });
 */
export class ParquetSink implements LakeSink {
  readonly name = 'parquet';
  readonly maxBatchRecords: number;
  private readonly writerId: string;
  private seq = 0;
  private writer: Promise<typeof import('hyparquet-writer')> | null = null;

  constructor(private readonly opts: ParquetSinkOptions) {
    this.maxBatchRecords = opts.maxBatchRecords ?? 10_000;
    this.writerId = opts.writerId ?? `${process.pid}-${randomBytes(4).toString('hex')}`;
  }

  async write(records: readonly LakeRecord[]): Promise<void> {
    const groups = new Map<string, LakeRecord[]>();
    for (const r of records) {
      const key = partitionOf(r.ts);
      const g = groups.get(key);
      if (g) g.push(r);
      else groups.set(key, [r]);
    }
    const undelivered: LakeRecord[] = [];
    let firstError: unknown;
    for (const [partition, group] of groups) {
      try {
        await this.writeFile(partition, group);
      } catch (err) {
        firstError ??= err;
        undelivered.push(...group);
      }
    }
    if (undelivered.length > 0) {
      const why = firstError instanceof Error ? firstError.message : String(firstError);
      throw new LakeSinkError(`parquet write failed for ${undelivered.length} records: ${why}`, undelivered, { cause: firstError });
    }
  }

  private async writeFile(partition: string, records: readonly LakeRecord[]): Promise<void> {
    this.writer ??= import('hyparquet-writer');
    const { parquetWriteBuffer } = await this.writer;
    const names = this.opts.featureNames;
    const bytes = parquetWriteBuffer({
      columnData: lakeColumns(records, names),
      schema: lakeSchema(names),
      codec: this.opts.codec ?? 'UNCOMPRESSED',
      kvMetadata: [{ key: 'lead_scoring.writer', value: this.writerId }],
    });
    const folder = join(this.opts.dir, partition);
    const file = `part-${Date.now()}-${this.writerId}-${String(this.seq++).padStart(6, '0')}.parquet`;
    const tmp = join(folder, `.${file}.tmp`);
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- under the configured LAKE_DIR, names built here
    await mkdir(folder, { recursive: true });
    try {
      // eslint-disable-next-line security/detect-non-literal-fs-filename -- same folder
      await writeFile(tmp, new Uint8Array(bytes));
      // eslint-disable-next-line security/detect-non-literal-fs-filename -- same folder: rename is atomic there
      await rename(tmp, join(folder, file));
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }
}
