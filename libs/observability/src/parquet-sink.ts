import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { FEATURE_NAMES } from '@lead-scoring/feature-schema';
import { LakeSinkError } from './errors';
import type { LakeRecord } from './lake-record';
import type { LakeSink } from './lake-sink';
import { packedBuffers, packRecords } from './parquet-columns';
import { encodeAndWrite, type EncodeJob } from './parquet-encode';

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
   * (bench/parquet-cost.ts) for files about half the size; lake CPU competes with scoring, local disk bytes do not.
   */
  readonly codec?: 'UNCOMPRESSED' | 'SNAPPY';
  /**
   * Encode and write in a worker thread (default false): Parquet encoding costs ~15-30 µs per row, which
   * would otherwise block the serving event loop for tens of ms per flush. Falls back to the calling
   * thread when the worker entry cannot be found (e.g. a bundled build).
   */
  readonly thread?: boolean;
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
 * half-written file.
 *
 * @example
 * const sink = new ParquetSink({ dir: process.env.LAKE_DIR ?? './var/lake', thread: true });
 */
export class ParquetSink implements LakeSink {
  readonly name = 'parquet';
  readonly maxBatchRecords: number;
  private readonly writerId: string;
  private readonly names: readonly string[];
  private seq = 0;
  private worker: { w: Worker; pending: Map<number, (error?: string) => void>; next: number } | null = null;

  constructor(private readonly opts: ParquetSinkOptions) {
    this.maxBatchRecords = opts.maxBatchRecords ?? 10_000;
    this.writerId = opts.writerId ?? `${process.pid}-${randomBytes(4).toString('hex')}`;
    this.names = opts.featureNames ?? FEATURE_NAMES;
    if (opts.thread) this.worker = this.startWorker();
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

  async close(): Promise<void> {
    await this.worker?.w.terminate();
    this.worker = null;
  }

  private writeFile(partition: string, records: readonly LakeRecord[]): Promise<void> {
    const file = `part-${Date.now()}-${this.writerId}-${String(this.seq++).padStart(6, '0')}.parquet`;
    const folder = join(this.opts.dir, partition);
    const job: EncodeJob = {
      path: join(folder, file), tmp: join(folder, `.${file}.tmp`), packed: packRecords(records, this.names.length),
      names: this.names, codec: this.opts.codec ?? 'UNCOMPRESSED', writerId: this.writerId,
    };
    const worker = this.worker;
    if (!worker) return encodeAndWrite(job);
    return new Promise<void>((resolve, reject) => {
      const id = worker.next++;
      // Referenced only while a file is being written: a pending write keeps the process alive (shutdown).
      if (worker.pending.size === 0) worker.w.ref();
      worker.pending.set(id, (error) => (error === undefined ? resolve() : reject(new Error(error))));
      worker.w.postMessage({ id, job }, packedBuffers(job.packed));
    });
  }

  private startWorker(): ParquetSink['worker'] {
    const entry = join(__dirname, `parquet-worker${extname(__filename)}`);
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- our own module file
    if (!existsSync(entry)) return null;
    // Under tsx (running from source) the worker needs tsx's require hook to load the .ts entry.
    const w = entry.endsWith('.ts')
      ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(entry)});`, { eval: true })
      : new Worker(entry);
    w.unref();
    const pending = new Map<number, (error?: string) => void>();
    w.on('message', (m: { id: number; error?: string }) => {
      const done = pending.get(m.id);
      pending.delete(m.id);
      if (pending.size === 0) w.unref();
      done?.(m.error);
    });
    const failAll = (why: string): void => {
      for (const done of pending.values()) done(why);
      pending.clear();
      this.worker = null; // later writes run on the calling thread
    };
    w.on('error', (err) => failAll(`parquet worker failed: ${err.message}`));
    w.on('exit', (code) => failAll(`parquet worker exited with ${code}`));
    return { w, pending, next: 0 };
  }
}
