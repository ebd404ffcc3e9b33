import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { LakeSinkError } from './errors';
import { packedRecord, type LakeRecord } from './lake-record';
import type { LakeSink } from './lake-sink';
import { packRecords, type PackedBatch } from './parquet-columns';
import { encodeAndWrite, type EncodeJob, type WireJob } from './parquet-encode';
import { toWire, transferables } from './packed-wire';

/** One file of a write: its hour partition, its rows (made on demand), and their records if it fails. */
interface FilePart {
  readonly partition: string;
  /** The rows were copied for this file, so their buffers may be transferred to the worker. */
  readonly owned: boolean;
  packed(): PackedBatch;
  records(): readonly LakeRecord[];
}

/** Options of {@link ParquetSink}. */
export interface ParquetSinkOptions {
  /** Lake root (LAKE_DIR, default ./var/lake); files go under `<dir>/scores/dt=YYYY-MM-DD/hour=HH/`. */
  readonly dir: string;
  /** Unique per process; defaults to `<pid>-<random>`, so cluster workers never collide. */
  readonly writerId?: string;
  /** The model's feature names: one column each. */
  readonly featureNames: readonly string[];
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
  /**
   * Write files with O_DIRECT, past the page cache (default true; lake-file.ts): the kernel then neither
   * allocates page-cache pages for them nor writes those back later. Applies on the worker thread.
   */
  readonly directIo?: boolean;
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
    this.names = opts.featureNames;
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
    await this.writeParts(
      [...groups].map(([partition, group]) => ({ partition, owned: true, packed: () => packRecords(group, this.names.length), records: () => group })),
    );
  }

  /**
   * Columnar path (BufferedLakeWriter chunks): one file per hour partition of the rows. The caller's batch
   * stays intact for a retry: its typed arrays reach the worker shared (SharedArrayBuffer, as in the
   * writer's chunks) or cloned, never transferred.
   */
  async writePacked(batch: PackedBatch): Promise<void> {
    if (batch.n === 0) return;
    const hours = splitByHour(batch.ts, batch.n);
    await this.writeParts(
      hours === null
        ? [{ partition: partitionOf(batch.ts[0]!), owned: false, packed: () => batch, records: () => Array.from({ length: batch.n }, (_, i) => packedRecord(batch, i)) }]
        : hours.map((rows) => ({
            partition: partitionOf(batch.ts[rows[0]!]!), owned: true,
            packed: () => selectRows(batch, rows), records: () => rows.map((i) => packedRecord(batch, i)),
          })),
    );
  }

  /** Writes one file per part; throws a LakeSinkError carrying the records of every part that failed. */
  private async writeParts(parts: readonly FilePart[]): Promise<void> {
    const undelivered: LakeRecord[] = [];
    let firstError: unknown;
    for (const part of parts) {
      try {
        await this.writeFile(part.partition, part.packed(), part.owned);
      } catch (err) {
        firstError ??= err;
        for (const r of part.records()) undelivered.push(r);
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

  /** `owned`: the batch was made for this write, so its buffers may be transferred to the worker. */
  private writeFile(partition: string, packed: PackedBatch, owned: boolean): Promise<void> {
    const file = `part-${Date.now()}-${this.writerId}-${String(this.seq++).padStart(6, '0')}.parquet`;
    const folder = join(this.opts.dir, partition);
    const job: EncodeJob = {
      path: join(folder, file), tmp: join(folder, `.${file}.tmp`), packed,
      names: this.names, codec: this.opts.codec ?? 'UNCOMPRESSED', writerId: this.writerId,
      directIo: this.opts.directIo ?? true,
    };
    const worker = this.worker;
    if (!worker) return encodeAndWrite(job);
    return new Promise<void>((resolve, reject) => {
      const id = worker.next++;
      // Referenced only while a file is being written: a pending write keeps the process alive (shutdown).
      if (worker.pending.size === 0) worker.w.ref();
      worker.pending.set(id, (error) => (error === undefined ? resolve() : reject(new Error(error))));
      const { packed: batch, ...rest } = job;
      const wire: WireJob = { ...rest, wire: toWire(batch) };
      worker.w.postMessage({ id, job: wire }, transferables(wire.wire, owned));
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

/**
 * Row indices by UTC hour, or null when all rows fall in one hour (the usual case: one pass over the
 * timestamps, no index arrays).
 */
function splitByHour(ts: Float64Array, n: number): number[][] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const t = ts[i]!;
    if (t < lo) lo = t;
    if (t > hi) hi = t;
  }
  if (Math.floor(lo / 3_600_000) === Math.floor(hi / 3_600_000)) return null;
  const hours = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const h = Math.floor(ts[i]! / 3_600_000);
    const g = hours.get(h);
    if (g) g.push(i);
    else hours.set(h, [i]);
  }
  return [...hours.values()];
}

/** The given rows of a packed batch, copied into a new batch. */
function selectRows(p: PackedBatch, rows: readonly number[]): PackedBatch {
  const n = rows.length;
  const { width: w, probWidth: pw } = p;
  const out: PackedBatch = {
    n, width: w, probWidth: pw,
    requestId: rows.map((i) => p.requestId[i]!), leadId: rows.map((i) => p.leadId[i] ?? null),
    modelName: rows.map((i) => p.modelName[i]!), modelVersion: rows.map((i) => p.modelVersion[i]!),
    ts: new Float64Array(n), score: new Int32Array(n), probs: new Float64Array(n * pw), probLen: new Uint8Array(n),
    probability: new Float64Array(n), latency: new Float64Array(n), degraded: new Uint8Array(n), features: new Float32Array(n * w),
  };
  rows.forEach((i, k) => {
    out.ts[k] = p.ts[i]!;
    out.score[k] = p.score[i]!;
    out.probs.set(p.probs.subarray(i * pw, (i + 1) * pw), k * pw);
    out.probLen[k] = p.probLen[i]!;
    out.probability[k] = p.probability[i]!;
    out.latency[k] = p.latency[i]!;
    out.degraded[k] = p.degraded[i]!;
    out.features.set(p.features.subarray(i * w, (i + 1) * w), k * w);
  });
  return out;
}
