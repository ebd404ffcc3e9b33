import { PutRecordBatchCommand, type FirehoseClient, type _Record } from '@aws-sdk/client-firehose';
import { backoffDelay, sleep as realSleep, type RetryPolicy } from './backoff';
import { DeadlineError, withDeadline } from './deadline';

/** PutRecordBatch limits (Firehose quotas): 500 records and 4 MiB per call, 1,000 KiB per record. */
export const FIREHOSE_MAX_RECORDS = 500;
export const FIREHOSE_MAX_BYTES = 4 * 1024 * 1024;
export const FIREHOSE_MAX_RECORD_BYTES = 1000 * 1024;

/** One Firehose record: the bytes it is sent as (for the lake, a JSON line). */
export interface FirehoseEntry {
  readonly data: Uint8Array;
}

/** Options of {@link putRecords}. */
export interface PutRecordsOptions {
  readonly client: FirehoseClient;
  readonly streamName: string;
  /** Attempts per call for entries Firehose rejects (FailedPutCount) or a failed call. */
  readonly retry: RetryPolicy;
  /** Epoch ms: no call or retry starts after it, and a call still in flight then is abandoned. Default none. */
  readonly deadline?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

/** What {@link putRecords} could not deliver. */
export interface PutRecordsResult<T extends FirehoseEntry> {
  /** Entries Firehose did not accept: refused after the last attempt, not sent in time, or over 1,000 KiB. */
  readonly undelivered: T[];
  /** The last error of a failed call (or the deadline), if any. */
  readonly error: unknown;
}

/**
 * Sends entries to a Firehose stream with PutRecordBatch, in calls of at most 500 records and 4 MiB. When a call
 * reports FailedPutCount > 0, exactly the entries whose RequestResponses carry an ErrorCode are sent again, with
 * jittered backoff, up to `retry.maxAttempts` attempts per call. Never throws: what is left is returned, so a caller
 * can put it elsewhere. A call cut off by the deadline counts as refused, although Firehose may have taken it.
 *
 * @example
 * const { undelivered } = await putRecords(lines.map((data) => ({ data })), { client, streamName, retry });
 */
export async function putRecords<T extends FirehoseEntry>(
  entries: readonly T[],
  opts: PutRecordsOptions,
): Promise<PutRecordsResult<T>> {
  const undelivered: T[] = [];
  let error: unknown;
  for (const batch of batches(entries, undelivered)) {
    const left = await sendWithRetry(batch, opts);
    if (left.entries.length > 0) {
      undelivered.push(...left.entries);
      error = left.error ?? error;
    }
  }
  return { undelivered, error };
}

/** Groups entries into calls within the 500-record / 4 MiB limits; entries over 1,000 KiB go to `rejected`. */
function* batches<T extends FirehoseEntry>(entries: readonly T[], rejected: T[]): Generator<T[]> {
  let batch: T[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = entry.data.byteLength;
    if (size > FIREHOSE_MAX_RECORD_BYTES) {
      rejected.push(entry);
      continue;
    }
    if (batch.length === FIREHOSE_MAX_RECORDS || bytes + size > FIREHOSE_MAX_BYTES) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(entry);
    bytes += size;
  }
  if (batch.length > 0) yield batch;
}

async function sendWithRetry<T extends FirehoseEntry>(
  batch: readonly T[],
  opts: PutRecordsOptions,
): Promise<{ entries: readonly T[]; error?: unknown }> {
  const deadline = opts.deadline ?? Infinity;
  let pending = batch;
  let error: unknown;
  for (let attempt = 1; ; attempt++) {
    if (Date.now() >= deadline) return { entries: pending, error: error ?? new DeadlineError('PutRecordBatch') };
    try {
      const sent = await send(pending, opts, deadline);
      pending = sent.left;
      if (pending.length === 0) return { entries: pending };
      error = sent.refused;
    } catch (err) {
      error = err;
    }
    if (attempt >= opts.retry.maxAttempts) return { entries: pending, error };
    const delay = backoffDelay(opts.retry, attempt, opts.random ?? Math.random);
    if (Date.now() + delay >= deadline)
      return { entries: pending, error: error ?? new DeadlineError('PutRecordBatch') };
    await (opts.sleep ?? realSleep)(delay);
  }
}

/** One PutRecordBatch call: the entries Firehose refused, and why (its first ErrorCode). */
async function send<T extends FirehoseEntry>(
  entries: readonly T[],
  opts: PutRecordsOptions,
  deadline: number,
): Promise<{ left: readonly T[]; refused?: Error }> {
  const Records: _Record[] = entries.map((e) => ({ Data: e.data }));
  const command = new PutRecordBatchCommand({ DeliveryStreamName: opts.streamName, Records });
  const out = await withDeadline(deadline, 'PutRecordBatch', (signal) =>
    opts.client.send(command, signal ? { abortSignal: signal } : {}),
  );
  if (!out.FailedPutCount) return { left: [] };
  const responses = out.RequestResponses ?? [];
  // Responses are positional: entry i failed when RequestResponses[i] has an ErrorCode.
  const left = entries.filter((_, i) => responses[i]?.ErrorCode !== undefined || responses[i] === undefined);
  const first = responses.find((r) => r.ErrorCode !== undefined);
  const why = first ? `${first.ErrorCode}: ${first.ErrorMessage ?? ''}` : 'no response';
  return { left, refused: new Error(`Firehose refused ${left.length} of ${entries.length} records (${why})`) };
}
