import { close as closeCb, closeSync, fdatasync, fdatasyncSync, ftruncateSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ObsLogger, ScoredEvent } from '@lead-scoring/metrics';
import { fsyncDir, fsyncDirSync } from './durable-fs';
import { LakeError } from './errors';
import { GroupCommit } from './group-commit';
import { LAKE_SPOOL, hourOf, segmentFile } from './lake-layout';
import { FrameBuffer, encodeRequestFrame, encodeSchemaFrame } from './spool-frame';

const fdatasyncAsync = promisify(fdatasync);
const close = promisify(closeCb);

/** Options of {@link SpoolWriter}. */
export interface SpoolWriterOptions {
  /** LAKE_DIR; segments go to `<dir>/spool/`. */
  readonly dir: string;
  /** `<run>-<worker>`: unique per process, lowercase letters and digits then a number. */
  readonly writer: string;
  /** The model's feature names, written as each segment's first frame. */
  readonly featureNames: readonly string[];
  /** `always`: `append` resolves after an fsync covering its frame; `interval`: fsync every `syncMs` off the request path. */
  readonly sync: 'always' | 'interval';
  readonly syncMs: number;
  /**
   * A segment is sealed after this long (default 30 s), after `segmentBytes` (default 64 MiB) and at each new hour.
   * Every sealed segment is one more file the keeper lists each second: sealing each second cost the keeper ~90 µs
   * per lead at 300 one-lead requests/s (apps/api/bench/lake-cost.ts).
   */
  readonly segmentMs?: number;
  readonly segmentBytes?: number;
  /** How often a failed spool is tried again (default 1,000 ms). */
  readonly probeMs?: number;
  readonly logger: ObsLogger;
  readonly now?: () => number;
}

/** Totals of a spool writer since it started. */
export interface SpoolStats {
  readonly requests: number;
  readonly leads: number;
  readonly bytes: number;
  /** Time spent writing frames on the calling thread, seconds (the request path's share of the lake). */
  readonly writeSeconds: number;
  readonly failures: number;
}

interface Segment {
  readonly fd: number;
  readonly hour: number;
  readonly file: string;
  readonly openedAt: number;
  size: number;
  dirty: boolean;
  data: boolean;
}

/**
 * The write-ahead spool of one process: every scored request becomes one checksummed frame appended to the
 * current segment with one synchronous write, before its answer leaves. Segments are sealed (`.open` renamed
 * `.wal`) by age, size and hour; the lake keeper turns sealed segments into Parquet. fsync runs in group-commit
 * rounds: every `syncMs` off the request path, or before each answer with `sync: 'always'`. When a write fails the
 * spool reports itself unavailable (`unavailable()`), refuses appends, and probes every `probeMs` until a new
 * segment can be written and synced again.
 *
 * @example
 * const spool = new SpoolWriter({ dir, writer: 'k3f9-1', featureNames, sync: 'interval', syncMs: 20, logger });
 * spool.append(event); // throws LakeError LAKE_SPOOL_UNWRITABLE when the lead cannot be recorded
 */
export class SpoolWriter {
  private readonly spoolDir: string;
  private readonly frame = new FrameBuffer();
  /** The schema frame has its own buffer: a segment is opened between a request frame's encoding and its write. */
  private readonly schemaFrame = new FrameBuffer();
  private readonly width: number;
  private readonly commit: GroupCommit;
  private readonly timer: ReturnType<typeof setInterval>;
  private probeTimer: ReturnType<typeof setInterval> | null = null;
  private current: Segment | null = null;
  private retiring: Segment[] = [];
  private dirDirty = false;
  private seq = 0;
  private failure: string | undefined;
  private closed = false;
  private readonly totals = { requests: 0, leads: 0, bytes: 0, writeSeconds: 0, failures: 0 };

  constructor(private readonly opts: SpoolWriterOptions) {
    this.spoolDir = join(opts.dir, LAKE_SPOOL);
    this.width = opts.featureNames.length;
    this.commit = new GroupCommit(() => this.syncRound(), (err) => this.fail(err));
    this.timer = setInterval(() => this.tick(), Math.max(1, opts.syncMs));
    this.timer.unref();
    try {
      // eslint-disable-next-line security/detect-non-literal-fs-filename -- the lake's spool folder
      mkdirSync(this.spoolDir, { recursive: true });
    } catch (err) {
      this.fail(err);
    }
  }

  /** Why the spool cannot record now, or undefined while it can. */
  unavailable(): string | undefined {
    return this.failure;
  }

  stats(): SpoolStats {
    return { ...this.totals };
  }

  /**
   * Appends one scored request. Returns once its frame is written (`interval`), or a promise resolved once it is
   * also fsynced (`always`). Throws (or rejects) a LakeError LAKE_SPOOL_UNWRITABLE when it cannot be recorded.
   */
  append(e: ScoredEvent): void | Promise<void> {
    if (this.failure !== undefined) throw new LakeError('LAKE_SPOOL_UNWRITABLE', this.failure);
    if (this.closed) throw new LakeError('LAKE_SPOOL_UNWRITABLE', 'the spool is closed');
    const t0 = performance.now();
    const len = encodeRequestFrame(this.frame, e, this.width);
    const hour = hourOf(e.ts ?? this.now());
    try {
      let seg = this.current;
      if (seg === null || seg.hour !== hour || seg.size >= (this.opts.segmentBytes ?? 64 << 20)) seg = this.openSegment(hour);
      writeAll(seg, this.frame.buf, len);
      seg.dirty = true;
      seg.data = true;
    } catch (err) {
      this.fail(err);
      throw new LakeError('LAKE_SPOOL_UNWRITABLE', this.failure ?? 'spool write failed', { cause: err });
    }
    this.totals.requests++;
    this.totals.leads += e.nRows;
    this.totals.bytes += len;
    this.totals.writeSeconds += (performance.now() - t0) / 1000;
    if (this.opts.sync === 'always') return this.commit.wait();
  }

  /** Seals the current segment and waits until everything written is fsynced and sealed. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    if (this.probeTimer) clearInterval(this.probeTimer);
    if (this.current) this.retire(this.current);
    this.commit.kick();
    await this.commit.idle();
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  /** Retires the current segment (if any) and opens the next one, its schema frame written. */
  private openSegment(hour: number): Segment {
    if (this.current) this.retire(this.current);
    const file = segmentFile(hour, this.opts.writer, this.seq++, false);
    const path = join(this.spoolDir, file);
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- a segment of the lake's spool
    const fd = openSync(path, 'wx');
    const seg: Segment = { fd, hour, file, openedAt: this.now(), size: 0, dirty: true, data: false };
    this.dirDirty = true;
    try {
      const len = encodeSchemaFrame(this.schemaFrame, this.opts.featureNames);
      writeAll(seg, this.schemaFrame.buf, len);
    } catch (err) {
      closeSync(fd);
       
      rmSync(path, { force: true });
      throw err;
    }
    this.current = seg;
    return seg;
  }

  private retire(seg: Segment): void {
    if (this.current === seg) this.current = null;
    this.retiring.push(seg);
    this.commit.kick();
  }

  private tick(): void {
    const seg = this.current;
    if (seg && seg.data && this.now() - seg.openedAt >= (this.opts.segmentMs ?? 30_000)) this.retire(seg);
    if (this.current?.dirty || this.retiring.length > 0 || this.dirDirty) this.commit.kick();
  }

  /** One group-commit round: fdatasync what was written, the spool folder if a segment was created, then seal retired segments. */
  private async syncRound(): Promise<void> {
    const cur = this.current?.dirty ? this.current : null;
    if (cur) cur.dirty = false;
    const retiring = this.retiring.splice(0);
    const dir = this.dirDirty;
    this.dirDirty = false;
    let error: unknown;
    const syncs = [...(cur ? [cur] : []), ...retiring].map((s) => fdatasyncAsync(s.fd).catch((err: unknown) => (error ??= err)));
    if (dir) syncs.push(fsyncDir(this.spoolDir).catch((err: unknown) => (error ??= err)));
    await Promise.all(syncs);
    for (const s of retiring) await this.seal(s);
    if (error !== undefined) throw error;
  }

  /** Closes a retired segment and renames it `.wal`; one without data (a probe's) is removed instead. */
  private async seal(s: Segment): Promise<void> {
    await close(s.fd).catch(() => undefined);
    const path = join(this.spoolDir, s.file);
    try {
      // eslint-disable-next-line security/detect-non-literal-fs-filename -- a segment of the lake's spool
      if (s.data) await rename(path, path.replace(/\.open$/, '.wal'));
       
      else rmSync(path, { force: true });
    } catch {
      // left `.open`: once this process is gone the keeper treats it as sealed
    }
  }

  private fail(err: unknown): void {
    const why = err instanceof Error ? err.message : String(err);
    this.totals.failures++;
    if (this.failure === undefined) {
      this.failure = `the lake spool cannot be written: ${why}`;
      this.opts.logger.error('lake spool unwritable; refusing to score what cannot be recorded until it recovers', { code: 'LAKE_SPOOL_UNWRITABLE', error: why });
    }
    if (this.current) this.retire(this.current);
    if (!this.probeTimer && !this.closed) {
      this.probeTimer = setInterval(() => this.probe(), this.opts.probeMs ?? 1_000);
      this.probeTimer.unref();
    }
  }

  /** Tries a new segment, written and synced: when that works the spool is available again. */
  private probe(): void {
    try {
      // eslint-disable-next-line security/detect-non-literal-fs-filename -- the lake's spool folder
      mkdirSync(this.spoolDir, { recursive: true });
      const seg = this.openSegment(hourOf(this.now()));
      fdatasyncSync(seg.fd);
      fsyncDirSync(this.spoolDir);
    } catch {
      return;
    }
    if (this.probeTimer) clearInterval(this.probeTimer);
    this.probeTimer = null;
    this.failure = undefined;
    this.opts.logger.warn('lake spool writable again; recording and scoring resume', { code: 'LAKE_SPOOL_RECOVERED' });
  }
}

/** Writes `len` bytes at the segment's end; on failure cuts the segment back to its last whole frame and rethrows. */
function writeAll(seg: Segment, buf: Buffer, len: number): void {
  let off = 0;
  try {
    while (off < len) {
      const n = writeSync(seg.fd, buf, off, len - off, seg.size + off);
      if (n <= 0) throw new Error(`short write (${off} of ${len} bytes)`);
      off += n;
    }
  } catch (err) {
    try {
      ftruncateSync(seg.fd, seg.size);
    } catch {
      // the reader stops at the torn frame anyway: the segment stays valid up to `size`
    }
    throw err;
  }
  seg.size += len;
}
