import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, S3Client, paginateListObjectsV2 } from '@aws-sdk/client-s3';
import { DeployError } from '../errors';

/** Which partitions of an S3 lake to fetch: since a time, and/or a `YYYY-MM-DD` date range (inclusive). */
export interface LakeRange {
  readonly since?: number;
  readonly from?: string;
  readonly to?: string;
}

const PARTITION = /^scores\/dt=(\d{4}-\d{2}-\d{2})\/hour=(\d{2})\/([^/]+)$/;

/**
 * Runs `read` on a lake folder: `lake` itself, or for `s3://bucket[/prefix]` (the lake root, holding
 * `scores/dt=…/hour=…/`, as LAKE_DIR does locally) a temporary copy of the partitions in `range`, fetched through the
 * AWS SDK (default credential chain and region; `AWS_ENDPOINT_URL_S3` for an S3-compatible server) and removed after.
 * Objects under a partition are Parquet files whatever their name (Firehose writes them without an extension).
 *
 * @example
 * const report = await withLakeDir('s3://lead-scoring-lake-prod', { from: '2026-11-01' }, (dir) => buildDriftReport({ lakeDir: dir, ... }));
 */
export async function withLakeDir<T>(
  lake: string,
  range: LakeRange,
  read: (dir: string) => Promise<T>,
  opts: { s3?: S3Client } = {},
): Promise<T> {
  if (!lake.startsWith('s3://')) return read(lake);
  const rest = lake.slice('s3://'.length);
  const slash = rest.indexOf('/');
  const bucket = slash === -1 ? rest : rest.slice(0, slash);
  const path = slash === -1 ? '' : rest.slice(slash + 1);
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket))
    throw new DeployError('USAGE', `--lake ${lake} is not an s3://bucket[/prefix] URI`);
  const prefix = path === '' || path.endsWith('/') ? path : `${path}/`;
  const s3 = opts.s3 ?? new S3Client(process.env['AWS_ENDPOINT_URL_S3'] ? { forcePathStyle: true } : {});
  const dir = await mkdtemp(join(tmpdir(), 'lake-s3-'));
  try {
    await fetchPartitions({ s3, bucket, prefix, dir, range });
    return await read(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
    if (!opts.s3) s3.destroy();
  }
}

async function fetchPartitions(o: {
  s3: S3Client;
  bucket: string;
  prefix: string;
  dir: string;
  range: LakeRange;
}): Promise<void> {
  const { s3, bucket, prefix, dir, range } = o;
  const fromDay = range.since !== undefined ? new Date(range.since).toISOString().slice(0, 10) : undefined;
  const from = [fromDay, range.from]
    .filter((d): d is string => d !== undefined)
    .sort()
    .at(-1);
  const sinceHour = range.since !== undefined ? new Date(range.since).toISOString().slice(0, 13) : undefined;
  let fetched = 0;
  try {
    // Starting after the last partition before the range skips listing older days.
    const startAfter = from ? `${prefix}scores/dt=${from}` : undefined;
    for await (const page of paginateListObjectsV2(
      { client: s3 },
      { Bucket: bucket, Prefix: `${prefix}scores/`, ...(startAfter ? { StartAfter: startAfter } : {}) },
    )) {
      for (const obj of page.Contents ?? []) {
        const p = PARTITION.exec((obj.Key ?? '').slice(prefix.length));
        if (!p || p[3]!.startsWith('.') || p[3]!.startsWith('_')) continue;
        const [, dt, hour, name] = p as unknown as [string, string, string, string];
        if ((from && dt < from) || (range.to && dt > range.to) || (sinceHour && `${dt}T${hour}` < sinceHour)) continue;
        const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: obj.Key }));
        const folder = join(dir, 'scores', `dt=${dt}`, `hour=${hour}`);
        // eslint-disable-next-line security/detect-non-literal-fs-filename -- a partition folder of our temporary copy
        await mkdir(folder, { recursive: true });
        const file = `${name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/\.parquet$/, '')}.parquet`;
        // eslint-disable-next-line security/detect-non-literal-fs-filename -- a file of our temporary copy
        await writeFile(join(folder, file), await out.Body!.transformToByteArray());
        fetched++;
      }
    }
  } catch (err) {
    if (err instanceof DeployError) throw err;
    const e = err as { name?: string; message?: string };
    throw new DeployError(
      'AWS_CALL_FAILED',
      `cannot read the lake s3://${bucket}/${prefix}: ${e.name ?? 'Error'}: ${e.message ?? String(err)}`,
      { cause: err },
    );
  }
  // An empty (or missing) prefix reads as a lake without files: listLakeFiles wants the scores/ folder.
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- our temporary copy
  if (fetched === 0) await mkdir(join(dir, 'scores'), { recursive: true });
}
