import { randomUUID } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { withDeadline } from './deadline';

/** Options of {@link S3FallbackWriter}. */
export interface S3FallbackWriterOptions {
  /** `s3://<bucket>/<prefix>/` (LAKE_FALLBACK_S3_URI), e.g. `s3://lead-scoring-lake-prod/_failed/`. */
  readonly uri: string;
  /** Default: a client made on the first write, so the S3 SDK loads only when a fallback is needed. */
  readonly client?: S3Client;
  readonly now?: () => number;
  readonly id?: () => string;
}

/** One object the fallback wrote. */
export interface FallbackObject {
  readonly bucket: string;
  readonly key: string;
  readonly records: number;
  readonly bytes: number;
}

/**
 * Where an S3 URI points: its bucket and key prefix (`''` for the bucket root, else ending in `/`);
 * undefined when it is not an `s3://bucket/...` URI.
 *
 * @example
 * parseS3Prefix('s3://lake/_failed'); // { bucket: 'lake', prefix: '_failed/' }
 */
export function parseS3Prefix(uri: string): { bucket: string; prefix: string } | undefined {
  if (!uri.startsWith('s3://')) return undefined;
  const rest = uri.slice('s3://'.length);
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) return undefined;
  const path = slash < 0 ? '' : rest.slice(slash + 1);
  return { bucket, prefix: path === '' || path.endsWith('/') ? path : `${path}/` };
}

/**
 * The key of a fallback object: `<prefix>dt=YYYY-MM-DD/hour=HH/<epoch ms>-<id>.ndjson` (UTC), so objects sort
 * by time and a random id keeps two writers in the same millisecond apart.
 *
 * @example
 * fallbackKey('_failed/', Date.UTC(2026, 11, 7, 3), 'f3c1'); // '_failed/dt=2026-12-07/hour=03/1796612400000-f3c1.ndjson'
 */
export function fallbackKey(prefix: string, at: number, id: string): string {
  const iso = new Date(at).toISOString();
  return `${prefix}dt=${iso.slice(0, 10)}/hour=${iso.slice(11, 13)}/${at}-${id}.ndjson`;
}

/**
 * The lake's fallback for records Firehose would not take: each `write` puts one NDJSON object, the records'
 * lines exactly as Firehose was sent them, under the fallback prefix of the lake bucket, for
 * `deploy-model lake-resend` to send again later.
 *
 * @example
 * const fallback = new S3FallbackWriter({ uri: 's3://lead-scoring-lake-prod/_failed/' });
 * await fallback.write(lines, { deadline: Date.now() + 500 });
 */
export class S3FallbackWriter {
  readonly bucket: string;
  readonly prefix: string;
  private client: S3Client | undefined;
  private readonly ownsClient: boolean;

  constructor(private readonly opts: S3FallbackWriterOptions) {
    const where = parseS3Prefix(opts.uri);
    if (!where) throw new TypeError(`lake fallback: ${opts.uri} is not an s3://bucket/prefix/ URI`);
    this.bucket = where.bucket;
    this.prefix = where.prefix;
    this.client = opts.client;
    this.ownsClient = opts.client === undefined;
  }

  /** Writes the lines as one object; rejects when S3 refuses it or the deadline (epoch ms) comes first. */
  async write(lines: readonly Uint8Array[], opts: { deadline?: number } = {}): Promise<FallbackObject> {
    // Loaded on demand: the S3 SDK adds ~100 ms to a cold start that only a Firehose failure needs.
    const sdk = await import('@aws-sdk/client-s3');
    this.client ??= new sdk.S3Client({});
    const client = this.client;
    const body = Buffer.concat(lines);
    const key = fallbackKey(this.prefix, (this.opts.now ?? Date.now)(), (this.opts.id ?? randomUUID)());
    const put = new sdk.PutObjectCommand({
      Bucket: this.bucket,
      Key: key,
      Body: body,
      ContentType: 'application/x-ndjson',
    });
    await withDeadline(opts.deadline ?? Infinity, 'PutObject', (signal) =>
      client.send(put, signal ? { abortSignal: signal } : {}),
    );
    return { bucket: this.bucket, key, records: lines.length, bytes: body.byteLength };
  }

  /** Frees the client this writer made (an injected one stays its owner's). */
  close(): void {
    if (this.ownsClient) this.client?.destroy();
  }
}
