import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { FirehoseClient } from '@aws-sdk/client-firehose';
import { putRecords } from '@lead-scoring/lake/firehose';
import { awsCall } from '../aws/aws-call';

/** Options of {@link resendFallbackObjects}. */
export interface LakeResendOptions {
  readonly s3: S3Client;
  readonly firehose: FirehoseClient;
  readonly bucket: string;
  /** The fallback prefix, e.g. `_failed/`. */
  readonly prefix: string;
  readonly streamName: string;
  /** Read and count only: nothing is sent, rewritten or deleted. */
  readonly dryRun: boolean;
  /** PutRecordBatch attempts per call for the records Firehose refuses; default 5. */
  readonly maxAttempts?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly onProgress?: (line: string) => void;
}

/** What happened to one object under the prefix. */
export interface ResentObject {
  readonly key: string;
  readonly records: number;
  readonly bytes: number;
  /** `resent`: every record accepted, object deleted; `kept`: some remain in it; `would-resend`: dry run. */
  readonly outcome: 'resent' | 'kept' | 'would-resend';
  /** Records still in the object (kept only). */
  readonly left?: number;
  readonly reason?: string;
}

/** The summary `lake-resend` prints. */
export interface LakeResendSummary {
  readonly bucket: string;
  readonly prefix: string;
  readonly streamName: string;
  readonly dryRun: boolean;
  /** Objects found under the prefix, and their records and bytes. */
  readonly objects: number;
  readonly records: number;
  readonly bytes: number;
  readonly resent: { readonly objects: number; readonly records: number };
  readonly kept: readonly ResentObject[];
}

/**
 * Sends the lake fallback's objects back to Firehose: lists every object under the prefix, splits it into the
 * NDJSON lines Firehose was first sent (one record each), sends them with PutRecordBatch (500 records / 4 MiB
 * per call, retrying the entries a call refuses), and deletes an object only once all its records were accepted.
 * When Firehose keeps refusing some, the object is rewritten with just those, so a re-run never sends an
 * accepted record twice. An object with a line that is not a JSON record is left as it is.
 *
 * @example
 * const summary = await resendFallbackObjects({ s3, firehose, bucket, prefix: '_failed/', streamName, dryRun: true });
 */
export async function resendFallbackObjects(opts: LakeResendOptions): Promise<LakeResendSummary> {
  const results: ResentObject[] = [];
  for (const key of await listKeys(opts)) {
    const result = await resendObject(key, opts);
    opts.onProgress?.(
      `${result.outcome} ${key}: ${result.records} records, ${result.bytes} bytes${result.reason ? ` (${result.reason})` : ''}`,
    );
    results.push(result);
  }
  const done = results.filter((r) => r.outcome === 'resent');
  return {
    bucket: opts.bucket,
    prefix: opts.prefix,
    streamName: opts.streamName,
    dryRun: opts.dryRun,
    objects: results.length,
    records: results.reduce((s, r) => s + r.records, 0),
    bytes: results.reduce((s, r) => s + r.bytes, 0),
    resent: { objects: done.length, records: done.reduce((s, r) => s + r.records, 0) },
    kept: results.filter((r) => r.outcome === 'kept'),
  };
}

async function listKeys(opts: LakeResendOptions): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await awsCall('ListObjectsV2', () =>
      opts.s3.send(
        new ListObjectsV2Command({
          Bucket: opts.bucket,
          Prefix: opts.prefix,
          ...(token ? { ContinuationToken: token } : {}),
        }),
      ),
    );
    for (const o of page.Contents ?? []) if (o.Key && !o.Key.endsWith('/')) keys.push(o.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys.sort();
}

async function resendObject(key: string, opts: LakeResendOptions): Promise<ResentObject> {
  const { s3, bucket } = opts;
  const got = await awsCall(`GetObject ${key}`, () => s3.send(new GetObjectCommand({ Bucket: bucket, Key: key })));
  const body = (await got.Body?.transformToByteArray()) ?? new Uint8Array();
  const { lines, invalidLine } = splitRecords(body);
  const base = { key, records: lines.length, bytes: body.byteLength };
  if (invalidLine !== undefined)
    return { ...base, outcome: 'kept', left: lines.length, reason: `line ${invalidLine} is not a JSON record` };
  if (opts.dryRun) return { ...base, outcome: 'would-resend' };
  const { undelivered, error } = await putRecords(
    lines.map((data) => ({ data })),
    {
      client: opts.firehose,
      streamName: opts.streamName,
      retry: { maxAttempts: opts.maxAttempts ?? 5, baseDelayMs: 100, maxDelayMs: 2_000 },
      ...(opts.sleep ? { sleep: opts.sleep } : {}),
    },
  );
  if (undelivered.length === 0) {
    await awsCall(`DeleteObject ${key}`, () => s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })));
    return { ...base, outcome: 'resent' };
  }
  if (undelivered.length < lines.length) {
    const rest = Buffer.concat(undelivered.map((e) => e.data));
    await awsCall(`PutObject ${key}`, () =>
      s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: rest, ContentType: 'application/x-ndjson' })),
    );
  }
  const why = error instanceof Error ? error.message : 'over 1,000 KiB';
  return {
    ...base,
    outcome: 'kept',
    left: undelivered.length,
    reason: `Firehose did not accept ${undelivered.length} records: ${why}`,
  };
}

/**
 * The records of an NDJSON object: each non-empty line with its newline, as the Lambda first sent it to Firehose;
 * `invalidLine` (1-based) is the first line that is not a JSON object.
 */
function splitRecords(body: Uint8Array): { lines: Uint8Array[]; invalidLine?: number } {
  const lines: Uint8Array[] = [];
  const text = new TextDecoder();
  let start = 0;
  let invalidLine: number | undefined;
  for (let n = 1; start < body.length; n++) {
    const nl = body.indexOf(0x0a, start);
    const end = nl < 0 ? body.length : nl;
    const line = body.subarray(start, end);
    start = end + 1;
    if (line.length === 0) continue;
    if (invalidLine === undefined && !isJsonObject(text.decode(line))) invalidLine = n;
    lines.push(Buffer.concat([line, Buffer.from('\n')]));
  }
  return invalidLine === undefined ? { lines } : { lines, invalidLine };
}

function isJsonObject(s: string): boolean {
  try {
    const v: unknown = JSON.parse(s);
    return typeof v === 'object' && v !== null && !Array.isArray(v);
  } catch {
    return false;
  }
}
