import { FirehoseClient } from '@aws-sdk/client-firehose';
import type { RetryPolicy } from './backoff';
import { LakeSinkError } from './errors';
import { FIREHOSE_MAX_RECORDS, putRecords, type PutRecordsResult } from './firehose-put';
import { toJsonLine, type LakeRecord } from './lake-record';
import type { LakeSink } from './lake-sink';

/** Options of {@link FirehoseSink}. */
export interface FirehoseSinkOptions {
  readonly streamName: string;
  readonly client?: FirehoseClient;
  /** Attempts per call for records Firehose rejects (FailedPutCount) or a failed call; default 3, 50 ms base, 1 s cap. */
  readonly retry?: Partial<RetryPolicy>;
  /** The model's feature names: the keys of each record's `features` map. */
  readonly featureNames: readonly string[];
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

/** A lake record and the bytes Firehose is sent for it: its JSON line (`toJsonLine`), newline included. */
export interface EncodedRecord {
  readonly record: LakeRecord;
  readonly data: Uint8Array;
}

/** What one {@link FirehoseSink.deliver} left undelivered, with the exact bytes each was sent as. */
export type FirehoseDelivery = PutRecordsResult<EncodedRecord>;

/**
 * Production lake sink: newline-delimited JSON records to Kinesis Data Firehose (which converts them
 * to Parquet in S3). Splits into PutRecordBatch calls of at most 500 records and 4 MiB; when a call
 * reports FailedPutCount > 0, re-sends exactly the entries whose RequestResponses carry an ErrorCode,
 * with jittered backoff, a bounded number of times. `write` throws what is still undelivered as a
 * LakeSinkError listing those records; `deliver` returns them instead, within a deadline.
 *
 * @example
 * const sink = new FirehoseSink({ streamName: process.env.FIREHOSE_STREAM_NAME!, featureNames });
 */
export class FirehoseSink implements LakeSink {
  readonly name = 'firehose';
  readonly maxBatchRecords = FIREHOSE_MAX_RECORDS * 4;
  private readonly client: FirehoseClient;
  private readonly policy: RetryPolicy;
  private readonly encoder = new TextEncoder();

  constructor(private readonly opts: FirehoseSinkOptions) {
    this.client = opts.client ?? new FirehoseClient({});
    this.policy = { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 1_000, ...opts.retry };
  }

  async write(records: readonly LakeRecord[]): Promise<void> {
    const { undelivered, error } = await this.deliver(records);
    if (undelivered.length > 0) {
      const why = error instanceof Error ? `: ${error.message}` : ' (over 1,000 KiB)';
      throw new LakeSinkError(
        `firehose: ${undelivered.length} of ${records.length} records undelivered${why}`,
        undelivered.map((e) => e.record),
        { cause: error },
      );
    }
  }

  /**
   * Sends the records and returns those Firehose did not accept (never throws). With `deadline` (epoch ms) no
   * call or retry starts after it and a call in flight then is abandoned, its records counted undelivered.
   *
   * @example
   * const { undelivered } = await sink.deliver(records, { deadline: Date.now() + 1_000 });
   */
  deliver(records: readonly LakeRecord[], opts: { deadline?: number } = {}): Promise<FirehoseDelivery> {
    const entries = records.map((record) => ({
      record,
      data: this.encoder.encode(toJsonLine(record, this.opts.featureNames)),
    }));
    return putRecords(entries, {
      client: this.client,
      streamName: this.opts.streamName,
      retry: this.policy,
      ...(opts.deadline !== undefined ? { deadline: opts.deadline } : {}),
      ...(this.opts.sleep ? { sleep: this.opts.sleep } : {}),
      ...(this.opts.random ? { random: this.opts.random } : {}),
    });
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}
