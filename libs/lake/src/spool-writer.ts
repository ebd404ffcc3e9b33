import { close as closeCb, closeSync, fdatasync, fdatasyncSync, mkdirSync, openSync, rmSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ObsLogger, ScoredEvent, ShadowOutcome } from '@lead-scoring/metrics';
import { fsyncDir, fsyncDirSync } from './durable-fs';
import { LakeError } from './errors';
import { GroupCommit } from './group-commit';
import { LAKE_SPOOL, hourOf, segmentFile } from './lake-layout';
import { FrameBuffer, encodeRequestFrame, encodeSchemaFrame, encodeShadowFrame } from './spool-frame';
import { writeAll, type Segment } from './spool-segment';

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
  /**
   * How long a retired segment stays open for the shadow results of its requests (default 2,000 ms): a shadow frame
   * goes into the segment of its request frame, so the keeper always publishes the two together.
   */
  readonly shadowHoldMs?: number;
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
  /** Leads whose shadow result was spooled beside them. */
  readonly shadowLeads: number;
  /** Leads whose shadow result came too late for its segment, or could not be written: their shadow columns stay null. */
  readonly shadowLost: number;
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
  private readonly shadowFrame = new FrameBuffer();
  /** Scored events whose shadow result is expected, with the segment their request frame is in. */
  private readonly awaiting = new Map<ScoredEvent, Segment>();
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
  private readonly totals = {
    requests: 0,
    leads: 0,
    bytes: 0,
    writeSeconds: 0,
    failures: 0,
    shadowLeads: 0,
    shadowLost: 0,
  };

  constructor(private readonly opts: SpoolWriterOptions) {
    this.spoolDir = join(opts.dir, LAKE_SPOOL);
    this.width = opts.featureNames.length;
    this.commit = new GroupCommit(
      () => this.syncRound(),
      (err) => this.fail(err),
    );
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
   * With `shadow`, the request's segment is kept open (up to `shadowHoldMs` after it is retired) for the shadow
   * result that {@link appendShadow} or {@link shadowSkipped} then reports.
   */
  append(e: ScoredEvent, opts?: { shadow?: boolean }): void | Promise<void> {
    if (this.failure !== undefined) throw new LakeError('LAKE_SPOOL_UNWRITABLE', this.failure);
    if (this.closed) throw new LakeError('LAKE_SPOOL_UNWRITABLE', 'the spool is closed');
    const t0 = performance.now();
    const len = encodeRequestFrame(this.frame, e, this.width);
    const hour = hourOf(e.ts ?? this.now());
    try {
      let seg = this.current;
      if (seg === null || seg.hour !== hour || seg.size >= (this.opts.segmentBytes ?? 64 << 20))
        seg = this.openSegment(hour);
      writeAll(seg, this.frame.buf, len);
      seg.dirty = true;
      seg.data = true;
      if (opts?.shadow) {
        this.awaiting.set(e, seg);
        seg.awaiting++;
      }
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

  /**
   * Spools the shadow model's result for a request appended with `shadow`, in the segment of its request frame.
   * Never throws: a result that cannot be written (or comes after its segment was sealed) is counted as lost.
   */
  appendShadow(e: ScoredEvent, outcome: ShadowOutcome): boolean {
    const seg = this.release(e);
    // Without an entry the result was given up on (counted then), or never awaited (the request was not spooled).
    if (!seg) return false;
    if (this.closed) {
      this.totals.shadowLost += e.nRows;
      return false;
    }
    try {
      const len = encodeShadowFrame(this.shadowFrame, e.requestId, outcome);
      writeAll(seg, this.shadowFrame.buf, len);
      seg.dirty = true;
      this.totals.shadowLeads += e.nRows;
      this.totals.bytes += len;
      return true;
    } catch {
      // The shadow columns of these leads stay null; the production frame is already durable and untouched.
      this.totals.shadowLost += e.nRows;
      return false;
    }
  }

  /** No shadow result will come for a request appended with `shadow` (it was skipped or failed). */
  shadowSkipped(e: ScoredEvent): void {
    this.release(e);
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
    const seg: Segment = {
      fd,
      hour,
      file,
      openedAt: this.now(),
      size: 0,
      dirty: true,
      data: false,
      awaiting: 0,
      retiredAt: 0,
    };
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
    seg.retiredAt = this.now();
    this.retiring.push(seg);
    this.commit.kick();
  }

  /** Forgets an awaited shadow result; a retired segment that waits for no more is sealed in the next round. */
  private release(e: ScoredEvent): Segment | undefined {
    const seg = this.awaiting.get(e);
    if (!seg) return undefined;
    this.awaiting.delete(e);
    seg.awaiting--;
    if (seg.awaiting === 0 && seg !== this.current) this.commit.kick();
    return seg;
  }

  /** A retired segment is sealed once no shadow result is awaited, `shadowHoldMs` after retiring, or at close. */
  private sealable(seg: Segment): boolean {
    if (seg.awaiting === 0 || this.closed || this.now() - seg.retiredAt >= (this.opts.shadowHoldMs ?? 2_000)) {
      if (seg.awaiting > 0) {
        for (const [e, s] of this.awaiting) {
          if (s !== seg) continue;
          this.awaiting.delete(e);
          this.totals.shadowLost += e.nRows;
        }
        seg.awaiting = 0;
      }
      return true;
    }
    return false;
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
    const dirty = retiring.filter((s) => s.dirty);
    for (const s of dirty) s.dirty = false;
    const syncs = [...(cur ? [cur] : []), ...dirty].map((s) =>
      fdatasyncAsync(s.fd).catch((err: unknown) => (error ??= err)),
    );
    if (dir) syncs.push(fsyncDir(this.spoolDir).catch((err: unknown) => (error ??= err)));
    await Promise.all(syncs);
    for (const s of retiring) {
      if (this.sealable(s)) await this.seal(s);
      else this.retiring.push(s);
    }
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
      this.opts.logger.error('lake spool unwritable; refusing to score what cannot be recorded until it recovers', {
        code: 'LAKE_SPOOL_UNWRITABLE',
        error: why,
      });
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
