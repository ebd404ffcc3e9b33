import { FirehoseClient, PutRecordBatchCommand, type _Record } from '@aws-sdk/client-firehose';
import { backoffDelay, sleep as realSleep, type RetryPolicy } from './backoff';
import { LakeSinkError } from './errors';
import { toJsonLine, type LakeRecord } from './lake-record';
import type { LakeSink } from './lake-sink';

/** PutRecordBatch limits (Firehose quotas): 500 records and 4 MiB per call, 1,000 KiB per record. */
export const FIREHOSE_MAX_RECORDS = 500;
export const FIREHOSE_MAX_BYTES = 4 * 1024 * 1024;
export const FIREHOSE_MAX_RECORD_BYTES = 1000 * 1024;

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

interface Entry {
  readonly record: LakeRecord;
  readonly data: Uint8Array;
}

/**
 * Production lake sink: newline-delimited JSON records to Kinesis Data Firehose (which converts them
 * to Parquet in S3). Splits into PutRecordBatch calls of at most 500 records and 4 MiB; when a call
 * reports FailedPutCount > 0, re-sends exactly the entries whose RequestResponses carry an ErrorCode,
 * with jittered backoff, a bounded number of times; what is still undelivered is thrown as a
 * LakeSinkError listing those records (the BufferedLakeWriter retries them later).
 *
 * @example
 * const sink = new FirehoseSink({ streamName: process.env.FIREHOSE_STREAM_NAME! });
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
    const undelivered: LakeRecord[] = [];
    let lastError: unknown;
    for (const batch of this.batches(records, undelivered)) {
      const left = await this.sendWithRetry(batch).catch((err: unknown) => {
        lastError = err;
        return batch;
      });
      for (const e of left) undelivered.push(e.record);
    }
    if (undelivered.length > 0) {
      const why = lastError instanceof Error ? `: ${lastError.message}` : ' (rejected by Firehose, or over 1,000 KiB)';
      throw new LakeSinkError(`firehose: ${undelivered.length} of ${records.length} records undelivered${why}`, undelivered, { cause: lastError });
    }
  }

  async close(): Promise<void> {
    this.client.destroy();
  }

  /** Groups records into calls within the 500-record / 4 MiB limits; oversized records go to `rejected`. */
  private *batches(records: readonly LakeRecord[], rejected: LakeRecord[]): Generator<Entry[]> {
    let batch: Entry[] = [];
    let bytes = 0;
    for (const record of records) {
      const data = this.encoder.encode(toJsonLine(record, this.opts.featureNames));
      if (data.byteLength > FIREHOSE_MAX_RECORD_BYTES) {
        rejected.push(record);
        continue;
      }
      if (batch.length === FIREHOSE_MAX_RECORDS || bytes + data.byteLength > FIREHOSE_MAX_BYTES) {
        yield batch;
        batch = [];
        bytes = 0;
      }
      batch.push({ record, data });
      bytes += data.byteLength;
    }
    if (batch.length > 0) yield batch;
  }

  /** Returns the entries still rejected after the last attempt; a call that keeps throwing rethrows. */
  private async sendWithRetry(batch: readonly Entry[]): Promise<readonly Entry[]> {
    let pending = batch;
    for (let attempt = 1; ; attempt++) {
      try {
        pending = await this.send(pending);
        if (pending.length === 0 || attempt >= this.policy.maxAttempts) return pending;
      } catch (err) {
        if (attempt >= this.policy.maxAttempts) throw err;
      }
      await (this.opts.sleep ?? realSleep)(backoffDelay(this.policy, attempt, this.opts.random ?? Math.random));
    }
  }

  private async send(entries: readonly Entry[]): Promise<readonly Entry[]> {
    const Records: _Record[] = entries.map((e) => ({ Data: e.data }));
    const out = await this.client.send(new PutRecordBatchCommand({ DeliveryStreamName: this.opts.streamName, Records }));
    if (!out.FailedPutCount) return [];
    const responses = out.RequestResponses ?? [];
    // Responses are positional: entry i failed when RequestResponses[i] has an ErrorCode.
    return entries.filter((_, i) => responses[i]?.ErrorCode !== undefined || responses[i] === undefined);
  }
}
