import { backoffDelay, sleep as realSleep, type RetryPolicy } from './backoff';
import { LakeSinkError } from './errors';
import { LakeChunk, type LakeRecord } from './lake-record';
import type { LakeSink } from './lake-sink';
import type { LakeObserver, ObsLogger, ScoredEvent } from '@lead-scoring/metrics';

/** A batch in flight: a column chunk (request-path rows) or records (retried / re-buffered ones). */
type Batch = LakeChunk | readonly LakeRecord[];
const sizeOf = (b: Batch): number => (b instanceof LakeChunk ? b.n : b.length);

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
 * Bounded in-memory buffer in front of a {@link LakeSink}: `pushEvent` copies a scored request straight
 * into preallocated column chunks (no object per lead); batches
 * go to the sink off the request path, on size and time thresholds, one batch at a time. Failed
 * batches are retried with jittered backoff (a LakeSinkError retries only its undelivered records).
 * Every record lost (buffer full, retries exhausted, shutdown deadline) is counted and logged.
 *
 * @example
 * const writer = new BufferedLakeWriter({ sink: new ParquetSink({ dir }), observer: metrics.lakeObserver });
 * writer.pushEvent(event);
 * process.on('SIGTERM', () => writer.close().then(() => process.exit(0)));
 */
export class BufferedLakeWriter {
  /** Rows re-buffered as records (deadline left-overs), sent before the chunks. */
  private carry: LakeRecord[] = [];
  /** Column chunks in arrival order; the last one may still take rows. */
  private chunks: LakeChunk[] = [];
  /** Delivered chunks kept for reuse (allocating ~0.5 MB per batch would drive full GCs under load). */
  private spare: LakeChunk[] = [];
  private buffered = 0;
  private readonly chunkRows: number;
  private readonly width: number;
  private inFlight = 0;
  private running: Promise<void> | null = null;
  private sizeFlushPending = false;
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
    this.chunkRows = Math.max(1, Math.min(this.flushRecords, opts.sink.maxBatchRecords));
    this.width = opts.featureWidth;
    this.policy = { maxAttempts: 8, baseDelayMs: 100, maxDelayMs: 5_000, ...opts.retry };
    // Drops are never silent: without a logger they go to the console.
    this.logger = opts.logger ?? console;
    this.timer = setInterval(() => {
      this.flushDropLog(false);
      if (this.buffered > 0 && this.running === null) void this.flush();
    }, opts.flushIntervalMs ?? 1_000);
    this.timer.unref();
  }

  /** Records buffered or in flight. */
  get queueDepth(): number {
    return this.buffered + this.inFlight;
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
    this.chunkFor(record.probabilities?.length ?? 0).addRecord(record);
    this.added(1);
    return true;
  }

  /**
   * Buffers every lead of a scored request, copying its fields into column chunks (the caller may reuse
   * `e.x` afterwards); returns how many were accepted, the rest being dropped and counted.
   */
  pushEvent(e: ScoredEvent): number {
    const n = e.nRows;
    if (n <= 0) return 0;
    const room = this.closed ? 0 : Math.max(0, Math.min(n, this.maxBuffer - this.queueDepth));
    if (room < n) this.drop(n - room, this.closed ? 'writer closed' : 'buffer full');
    if (room === 0) return 0;
    let probWidth = 0;
    for (let i = 0; i < room; i++) probWidth = Math.max(probWidth, e.results[i]?.probabilities?.length ?? 0);
    const ts = e.ts ?? Date.now();
    for (let from = 0; from < room; ) {
      const chunk = this.chunkFor(probWidth);
      const count = Math.min(chunk.free, room - from);
      chunk.addEvent(e, from, count, ts);
      from += count;
    }
    this.added(room);
    return room;
  }

  /** A chunk with room for a row of `probWidth` probabilities. */
  private chunkFor(probWidth: number): LakeChunk {
    const last = this.chunks[this.chunks.length - 1];
    if (last && !last.sealed && last.free > 0 && last.probWidth >= probWidth) return last;
    const want = Math.max(probWidth, last?.probWidth ?? 0);
    const reused = this.spare.pop();
    const chunk = reused && reused.probWidth >= want ? reused : new LakeChunk(this.chunkRows, this.width, want);
    this.chunks.push(chunk);
    return chunk;
  }

  private added(n: number): void {
    this.buffered += n;
    this.scheduleSizeFlush();
  }

  /** One flush at a time once a batch is full: queued flushes would each write the few rows since the last. */
  private scheduleSizeFlush(): void {
    if (this.sizeFlushPending || this.running !== null || this.closed || this.buffered < this.flushRecords) return;
    this.sizeFlushPending = true;
    setImmediate(() => {
      this.sizeFlushPending = false;
      if (this.running === null) void this.flushBatches(Infinity, true);
    });
  }

  /** Buffers several records; returns how many were accepted. */
  pushMany(records: readonly LakeRecord[]): number {
    let accepted = 0;
    for (let i = 0; i < records.length; i++) if (this.push(records[i]!)) accepted++;
    return accepted;
  }

  /**
   * Sends everything buffered now. With `deadline` (epoch ms), stops retrying at the deadline and puts
   * the undelivered records back in the buffer (Lambda: they go out with the next invocation).
   */
  async flush(opts: { deadline?: number } = {}): Promise<void> {
    await this.flushBatches(opts.deadline ?? Infinity, false);
  }

  private async flushBatches(deadline: number, fullOnly: boolean): Promise<void> {
    while (this.running) await this.running;
    if (this.buffered === 0) return;
    this.running = this.drain(deadline, false, fullOnly).finally(() => {
      this.running = null;
      // Rows that arrived while the sink was busy: their own flush once a batch is full (else the timer's).
      this.scheduleSizeFlush();
    });
    await this.running;
  }

  /**
   * Stops accepting records and flushes all of them; records still undelivered at `timeoutMs`
   * (default: unbounded, i.e. the retry policy decides) are dropped, counted and logged.
   */
  async close(opts: { timeoutMs?: number } = {}): Promise<LakeWriterStats> {
    this.closed = true;
    clearInterval(this.timer);
    const deadline = opts.timeoutMs === undefined ? Infinity : this.now() + opts.timeoutMs;
    while (this.running) await this.running;
    this.running = this.drain(deadline, true, false);
    await this.running;
    this.running = null;
    if (this.buffered > 0) this.drop(this.takeAll(), 'shutdown deadline');
    this.flushDropLog(true);
    await this.opts.sink.close?.();
    return this.stats();
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  /**
   * Sends the batches buffered when it starts: with `fullOnly` (size-triggered) every chunk but the open
   * one, else all of them, the open one sealed so rows arriving meanwhile start a new one. Under steady
   * load a drain would otherwise chase the newest few rows and write a small file each. Closing drains everything.
   */
  private async drain(deadline: number, closing: boolean, fullOnly: boolean): Promise<void> {
    const last = this.chunks[this.chunks.length - 1];
    const open = last !== undefined && !last.sealed && last.free > 0;
    let chunksLeft = fullOnly && open ? this.chunks.length - 1 : this.chunks.length;
    if (!fullOnly && last) last.sealed = true;
    while (this.buffered > 0 && this.now() < deadline && (closing || this.carry.length > 0 || chunksLeft > 0)) {
      const fromCarry = this.carry.length > 0;
      if (!fromCarry) chunksLeft--;
      const batch: Batch = fromCarry ? this.carry.splice(0, this.opts.sink.maxBatchRecords) : this.chunks.shift()!;
      this.buffered -= sizeOf(batch);
      this.inFlight = sizeOf(batch);
      try {
        const { left, exhausted } = await this.writeWithRetry(batch, deadline);
        const nLeft = sizeOf(left);
        if (nLeft === 0) continue;
        if (exhausted || closing) this.drop(nLeft, exhausted ? 'retries exhausted' : 'shutdown deadline');
        else {
          // Deadline reached first (Lambda budget): keep the records for the next flush.
          this.carry.unshift(...(left instanceof LakeChunk ? left.records() : left));
          this.buffered += nLeft;
          break;
        }
      } finally {
        this.inFlight = 0;
        // The sink is done with the chunk (delivered, dropped or copied to `carry`).
        if (batch instanceof LakeChunk) this.recycle(batch);
      }
    }
  }

  /** The records still undelivered when the retry policy (`exhausted`) or the deadline gave up. */
  private async writeWithRetry(batch: Batch, deadline: number): Promise<{ left: Batch; exhausted: boolean }> {
    let pending = batch;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.send(pending);
        this.count('written', sizeOf(pending));
        return { left: [], exhausted: false };
      } catch (err) {
        // A failed chunk is retried as the same chunk (same rows); a partial failure as its undelivered records.
        const left: Batch = err instanceof LakeSinkError ? (err.undelivered as readonly LakeRecord[]) : pending;
        this.count('written', sizeOf(pending) - sizeOf(left));
        this.count('failed', sizeOf(left));
        pending = left;
        const delay = backoffDelay(this.policy, attempt, this.opts.random ?? Math.random);
        const exhausted = attempt >= this.policy.maxAttempts;
        const last = exhausted || this.now() + delay >= deadline;
        this.logger.warn(`lake sink ${this.opts.sink.name} failed`, {
          code: 'LAKE_SINK_FAILED', attempt, undelivered: sizeOf(left), giveUp: last, error: err instanceof Error ? err.message : String(err),
        });
        if (last) return { left: pending, exhausted };
        await (this.opts.sleep ?? realSleep)(delay);
      }
    }
  }

  private send(b: Batch): Promise<void> {
    const sink = this.opts.sink;
    if (!(b instanceof LakeChunk)) return sink.write(b);
    return sink.writePacked ? sink.writePacked(b.packed()) : sink.write(b.records());
  }

  private recycle(chunk: LakeChunk): void {
    if (this.spare.length >= 2 || chunk.capacity !== this.chunkRows) return;
    chunk.reset();
    this.spare.push(chunk);
  }

  /** Empties the buffer; returns how many rows it held. */
  private takeAll(): number {
    const n = this.buffered;
    this.carry = [];
    this.chunks = [];
    this.buffered = 0;
    return n;
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
      code: 'LAKE_RECORDS_DROPPED', dropped: this.dropLog.pending, totalDropped: this.totals.dropped, reason,
    });
    this.dropLog = { pending: 0, lastAt: t };
  }
}
