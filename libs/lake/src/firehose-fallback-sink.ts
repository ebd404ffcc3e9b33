import type { EncodedRecord, FirehoseSink } from './firehose-sink';
import type { LakeRecord } from './lake-record';
import type { LakeSink } from './lake-sink';
import type { FallbackObject, S3FallbackWriter } from './s3-fallback';

/** Options of {@link FirehoseFallbackSink}. */
export interface FirehoseFallbackSinkOptions {
  readonly firehose: FirehoseSink;
  /** Where the records Firehose refuses go; null: nowhere, so they end up unplaced. */
  readonly fallback: S3FallbackWriter | null;
  /** Time a flush keeps for the fallback write, ms: default 500, at most half the flush. */
  readonly fallbackReserveMs?: number;
  readonly now?: () => number;
}

/** Where the records of one flush went. */
export interface LakePlacement {
  /** Records Firehose accepted. */
  readonly delivered: number;
  /** Records Firehose refused (after its retries, or for lack of time) that the fallback object holds. */
  readonly fallback: number;
  /** Records neither Firehose nor the fallback took: nothing holds them any more. */
  readonly unplaced: number;
  /** The fallback object, when one was written. */
  readonly object?: FallbackObject;
  /** Why Firehose refused records. */
  readonly firehoseError?: unknown;
  /** Why the fallback did not take them (failed, absent, or no time left). */
  readonly fallbackError?: unknown;
}

/**
 * A lake sink for one flush at a time that never loses a record without saying so: records go to Firehose
 * within the flush's time; those it still refuses after its retries are held, and `settle()` writes them all
 * as one fallback object and reports where every record went. `write` resolves once each record is either
 * accepted by Firehose or held (it never rejects, so a BufferedLakeWriter in front keeps nothing back);
 * only `settle()` says whether the held ones were placed.
 *
 * @example
 * sink.begin(Date.now() + 1_500);
 * await writer.flush();
 * const { unplaced } = await sink.settle(); // > 0: answer 503, the records were not recorded
 */
export class FirehoseFallbackSink implements LakeSink {
  readonly name = 'firehose';
  readonly maxBatchRecords: number;
  private held: EncodedRecord[] = [];
  private delivered = 0;
  private firehoseError: unknown;
  private deadline = Infinity;
  private firehoseDeadline = Infinity;

  constructor(private readonly opts: FirehoseFallbackSinkOptions) {
    this.maxBatchRecords = opts.firehose.maxBatchRecords;
  }

  /**
   * Starts a flush that must end by `deadline` (epoch ms). Firehose gets the time up to the fallback's reserve;
   * the fallback write gets the rest.
   */
  begin(deadline: number): void {
    const now = this.now();
    const reserve = this.opts.fallback
      ? Math.min(this.opts.fallbackReserveMs ?? 500, Math.max(0, deadline - now) / 2)
      : 0;
    this.deadline = deadline;
    this.firehoseDeadline = deadline - reserve;
  }

  async write(records: readonly LakeRecord[]): Promise<void> {
    const { undelivered, error } = await this.opts.firehose.deliver(records, { deadline: this.firehoseDeadline });
    this.delivered += records.length - undelivered.length;
    if (undelivered.length === 0) return;
    this.held.push(...undelivered);
    this.firehoseError = error;
  }

  /** Ends the flush: writes the held records as one fallback object (within the deadline); says where all went. */
  async settle(): Promise<LakePlacement> {
    const held = this.held;
    const base = { delivered: this.delivered, ...(held.length > 0 ? { firehoseError: this.firehoseError } : {}) };
    const deadline = this.deadline;
    this.held = [];
    this.delivered = 0;
    this.firehoseError = undefined;
    this.deadline = this.firehoseDeadline = Infinity;
    if (held.length === 0) return { ...base, fallback: 0, unplaced: 0 };
    const unplaced = (why: unknown): LakePlacement => ({
      ...base,
      fallback: 0,
      unplaced: held.length,
      fallbackError: why,
    });
    if (!this.opts.fallback) return unplaced(new Error('no lake fallback configured (LAKE_FALLBACK_S3_URI)'));
    if (this.now() >= deadline) return unplaced(new Error('no time left for the lake fallback'));
    try {
      const object = await this.opts.fallback.write(
        held.map((e) => e.data),
        { deadline },
      );
      return { ...base, fallback: held.length, unplaced: 0, object };
    } catch (err) {
      return unplaced(err);
    }
  }

  async close(): Promise<void> {
    this.opts.fallback?.close();
    await this.opts.firehose.close();
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }
}
