import { backoffDelay, sleep as realSleep, type RetryPolicy } from './backoff';
import { LakeSinkError } from './errors';
import type { LakeRecord } from './lake-record';
import type { LakeSink } from './lake-sink';
import type { LakeObserver, ObsLogger, ScoredEvent, ShadowOutcome } from '@lead-scoring/metrics';

/** Options of {@link BufferedLakeWriter}. */
export interface BufferedLakeWriterOptions {
  readonly sink: LakeSink;
  /** Records held at most (buffered + in flight); beyond it new records are dropped and counted. Default 50,000. */
  readonly maxBufferRecords?: number;
  /** Flush as soon as this many records wait. Default 1,000. */
  readonly flushRecords?: number;
  /** Flush at least this often while records wait, ms. Default 1,000. */
  readonly flushIntervalMs?: number;
  /** Sink retries per batch; defaults: 8 attempts, 100 ms base, 5 s cap (about 20 s in all). */
  readonly retry?: Partial<RetryPolicy>;
  readonly observer?: LakeObserver;
  readonly logger?: ObsLogger;
  /** Injectable for tests. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly now?: () => number;
  /** Feature values per row: the model's feature count. */
  readonly featureWidth: number;
}

/** Totals since start. */
export interface LakeWriterStats {
  readonly queued: number;
  readonly written: number;
  readonly failed: number;
  readonly dropped: number;
}

/**
 * Bounded in-memory buffer in front of a remote {@link LakeSink} (the Lambda's Firehose path; the local server
 * records through its spool instead). Batches go to the sink off the request path, on size and time thresholds,
 * one batch at a time; a failed batch is retried with jittered backoff (a LakeSinkError retries only its
 * undelivered records). Every record lost (buffer full, retries exhausted, shutdown deadline) is counted and logged.
 *
 * @example
 * const writer = new BufferedLakeWriter({ sink, featureWidth: names.length, observer: emf.lakeObserver });
 * writer.pushEvent(event);
 * await writer.flush({ deadline: Date.now() + 1500 });
 */
export class BufferedLakeWriter {
  private buffer: LakeRecord[] = [];
  private inFlight = 0;
  private running: Promise<void> | null = null;
  private closed = false;
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly maxBuffer: number;
  private readonly flushRecords: number;
  private readonly policy: RetryPolicy;
  private readonly totals = { written: 0, failed: 0, dropped: 0 };
  private dropLog = { pending: 0, lastAt: -Infinity };
  private readonly logger: ObsLogger;

  constructor(private readonly opts: BufferedLakeWriterOptions) {
    this.maxBuffer = opts.maxBufferRecords ?? 50_000;
    this.flushRecords = Math.min(opts.flushRecords ?? 1_000, this.maxBuffer);
    this.policy = { maxAttempts: 8, baseDelayMs: 100, maxDelayMs: 5_000, ...opts.retry };
    // Drops are never silent: without a logger they go to the console.
    this.logger = opts.logger ?? console;
    this.timer = setInterval(() => {
      this.flushDropLog(false);
      if (this.buffer.length > 0 && this.running === null) void this.flush();
    }, opts.flushIntervalMs ?? 1_000);
    this.timer.unref();
  }

  /** Records buffered or in flight. */
  get queueDepth(): number {
    return this.buffer.length + this.inFlight;
  }

  stats(): LakeWriterStats {
    return { queued: this.queueDepth, ...this.totals };
  }

  /** Buffers one record; returns false (and counts a drop) when the buffer is full or the writer closed. */
  push(record: LakeRecord): boolean {
    if (this.closed || this.queueDepth >= this.maxBuffer) {
      this.drop(1, this.closed ? 'writer closed' : 'buffer full');
      return false;
    }
    this.buffer.push(record);
    this.added();
    return true;
  }

  /** Buffers several records; returns how many were accepted. */
  pushMany(records: readonly LakeRecord[]): number {
    let accepted = 0;
    for (const r of records) if (this.push(r)) accepted++;
    return accepted;
  }

  /**
   * Buffers every lead of a scored request as its own record (each with its own copy of its features, so the
   * caller may reuse `e.x`), with the shadow model's result for it when `shadow` is given; returns how many were
   * accepted, the rest being dropped and counted.
   */
  pushEvent(e: ScoredEvent, shadow: ShadowOutcome | null = null): number {
    const n = e.nRows;
    const room = this.closed ? 0 : Math.max(0, Math.min(n, this.maxBuffer - this.queueDepth));
    if (room < n) this.drop(n - room, this.closed ? 'writer closed' : 'buffer full');
    const w = this.opts.featureWidth;
    const ts = e.ts ?? Date.now();
    for (let i = 0; i < room; i++) {
      const r = e.results[i];
      const s = shadow?.results[i];
      const features = new Float32Array(w).fill(NaN);
      features.set(e.x.subarray(i * w, Math.min((i + 1) * w, e.x.length)));
      this.buffer.push({
        request_id: e.requestId,
        lead_id: e.leadIds?.[i] ?? null,
        ts,
        model_name: e.model.name,
        model_version: e.model.version,
        score: r?.score ?? 0,
        probabilities: r?.probabilities ?? null,
        probability: r?.probability ?? null,
        latency_ms: e.latencyMs,
        degraded: e.degraded,
        shadow_model_version: s ? shadow!.model.version : null,
        shadow_score: s?.score ?? null,
        shadow_probabilities: s?.probabilities ?? null,
        shadow_probability: s?.probability ?? null,
        features,
      });
    }
    if (room > 0) this.added();
    return room;
  }

  /**
   * Sends everything buffered now. With `deadline` (epoch ms), stops retrying at the deadline and keeps the
   * undelivered records buffered (Lambda: they go out with the next invocation).
   */
  async flush(opts: { deadline?: number } = {}): Promise<void> {
    while (this.running) await this.running;
    if (this.buffer.length === 0) return;
    this.running = this.drain(opts.deadline ?? Infinity, false).finally(() => {
      this.running = null;
    });
    await this.running;
  }

  /**
   * Stops accepting records and flushes all of them; records still undelivered at `timeoutMs` (default: unbounded,
   * the retry policy decides) are dropped, counted and logged.
   */
  async close(opts: { timeoutMs?: number } = {}): Promise<LakeWriterStats> {
    this.closed = true;
    clearInterval(this.timer);
    const deadline = opts.timeoutMs === undefined ? Infinity : this.now() + opts.timeoutMs;
    while (this.running) await this.running;
    this.running = this.drain(deadline, true);
    await this.running;
    this.running = null;
    if (this.buffer.length > 0) {
      const n = this.buffer.length;
      this.buffer = [];
      this.drop(n, 'shutdown deadline');
    }
    this.flushDropLog(true);
    await this.opts.sink.close?.();
    return this.stats();
  }

  private added(): void {
    if (this.buffer.length >= this.flushRecords && this.running === null && !this.closed)
      setImmediate(() => void this.flush());
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  /** Sends batches of at most `maxBatchRecords` until the buffer is empty, the deadline passes, or a batch gives up. */
  private async drain(deadline: number, closing: boolean): Promise<void> {
    while (this.buffer.length > 0 && this.now() < deadline) {
      const batch = this.buffer.splice(0, this.opts.sink.maxBatchRecords);
      this.inFlight = batch.length;
      try {
        const { left, exhausted } = await this.writeWithRetry(batch, deadline);
        if (left.length === 0) continue;
        if (exhausted || closing) this.drop(left.length, exhausted ? 'retries exhausted' : 'shutdown deadline');
        else {
          // Deadline reached first (Lambda budget): keep the records for the next flush.
          this.buffer.unshift(...left);
          break;
        }
      } finally {
        this.inFlight = 0;
      }
    }
  }

  /** The records still undelivered when the retry policy (`exhausted`) or the deadline gave up. */
  private async writeWithRetry(
    batch: readonly LakeRecord[],
    deadline: number,
  ): Promise<{ left: readonly LakeRecord[]; exhausted: boolean }> {
    let pending = batch;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.opts.sink.write(pending);
        this.count('written', pending.length);
        return { left: [], exhausted: false };
      } catch (err) {
        const left = err instanceof LakeSinkError ? (err.undelivered as readonly LakeRecord[]) : pending;
        this.count('written', pending.length - left.length);
        this.count('failed', left.length);
        pending = left;
        const delay = backoffDelay(this.policy, attempt, this.opts.random ?? Math.random);
        const exhausted = attempt >= this.policy.maxAttempts;
        const last = exhausted || this.now() + delay >= deadline;
        this.logger.warn(`lake sink ${this.opts.sink.name} failed`, {
          code: 'LAKE_SINK_FAILED',
          attempt,
          undelivered: left.length,
          giveUp: last,
          error: err instanceof Error ? err.message : String(err),
        });
        if (last) return { left: pending, exhausted };
        await (this.opts.sleep ?? realSleep)(delay);
      }
    }
  }

  private count(kind: 'written' | 'failed' | 'dropped', n: number): void {
    if (n <= 0) return;
    this.totals[kind] += n;
    this.opts.observer?.[kind](n);
  }

  private drop(n: number, reason: string): void {
    this.count('dropped', n);
    this.dropLog.pending += n;
    // One log line per second at most: a full buffer under load would otherwise log per request.
    this.flushDropLog(false, reason);
  }

  private flushDropLog(force: boolean, reason = 'dropped'): void {
    const t = this.now();
    if (this.dropLog.pending === 0 || (!force && t - this.dropLog.lastAt < 1_000)) return;
    this.logger.error(`lake records dropped: ${this.dropLog.pending} (${reason})`, {
      code: 'LAKE_RECORDS_DROPPED',
      dropped: this.dropLog.pending,
      totalDropped: this.totals.dropped,
      reason,
    });
    this.dropLog = { pending: 0, lastAt: t };
  }
}
