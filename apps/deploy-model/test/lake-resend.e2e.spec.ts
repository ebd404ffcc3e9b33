import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { FirehoseClient, PutRecordBatchCommand, type PutRecordBatchCommandInput } from '@aws-sdk/client-firehose';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { defaultEnvironmentsFile } from '../src/app-config';
import { lakeResendCommand } from '../src/lake/lake-resend-command';
import { resendFallbackObjects } from '../src/lake/lake-resend';
import { runInProcess } from './helpers/in-process';
import { tempDir } from './helpers/temp';
// s3rver ships no types; it is a test-only dev dependency.
const S3rver = require('s3rver') as new (opts: Record<string, unknown>) => {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
};

const BUCKET = 'lead-scoring-lake-staging';
const PREFIX = '_failed/';
const firehose = mockClient(FirehoseClient);
const noSleep = async (): Promise<void> => undefined;
let server: InstanceType<typeof S3rver>;
let dir: string;
let s3: S3Client;

/** NDJSON lines as the Lambda writes them: one lake record a line. */
const lines = (from: number, n: number): string[] =>
  Array.from(
    { length: n },
    (_, i) =>
      `${JSON.stringify({ request_id: `r${from + i}`, ts: '2026-12-07T03:00:00.000Z', score: 3, features: { a: i } })}\n`,
  );
const put = (key: string, body: string) => s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
const keys = async (): Promise<string[]> =>
  ((await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: PREFIX }))).Contents ?? [])
    .map((o) => o.Key!)
    .sort();
const body = async (key: string): Promise<string> =>
  (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))).Body!.transformToString();
/** Every record data Firehose was sent, in order. */
const sent = (): string[] =>
  firehose
    .commandCalls(PutRecordBatchCommand)
    .flatMap((c) => (c.args[0].input.Records ?? []).map((r) => new TextDecoder().decode(r.Data)));
const run = (dryRun = false) =>
  resendFallbackObjects({
    s3,
    firehose: new FirehoseClient({ region: 'eu-west-1' }),
    bucket: BUCKET,
    prefix: PREFIX,
    streamName: 'lead-scoring-staging-scores',
    dryRun,
    sleep: noSleep,
  });

/** Firehose that refuses every record whose data contains `marker`, and takes the rest. */
function refusing(marker: string): void {
  firehose.on(PutRecordBatchCommand).callsFake((input: PutRecordBatchCommandInput) => {
    const responses = (input.Records ?? []).map((r) =>
      new TextDecoder().decode(r.Data).includes(marker)
        ? { ErrorCode: 'ServiceUnavailableException' }
        : { RecordId: 'ok' },
    );
    return { FailedPutCount: responses.filter((r) => 'ErrorCode' in r).length, RequestResponses: responses };
  });
}

beforeAll(async () => {
  process.env['AWS_EC2_METADATA_DISABLED'] = 'true';
  process.env['AWS_ACCESS_KEY_ID'] = 'S3RVER';
  process.env['AWS_SECRET_ACCESS_KEY'] = 'S3RVER';
  dir = tempDir('s3rver-lake-');
  server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: dir,
    configureBuckets: [{ name: BUCKET }],
  });
  const { port } = await server.run();
  s3 = new S3Client({
    region: 'eu-west-1',
    endpoint: `http://127.0.0.1:${port}`,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
});

afterAll(async () => {
  s3.destroy();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  firehose.reset();
  for (const key of await keys()) await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }));
});

describe('lake-resend against an S3-compatible server (s3rver)', () => {
  it('sends every record of every fallback object, exactly as stored, then deletes the objects', async () => {
    refusing('never');
    const a = lines(0, 3);
    const b = lines(3, 2);
    await put(`${PREFIX}dt=2026-12-07/hour=03/1-a.ndjson`, a.join(''));
    await put(`${PREFIX}dt=2026-12-07/hour=04/2-b.ndjson`, b.join(''));
    await put('scores/dt=2026-12-07/hour=03/part.parquet', 'not ours');

    const summary = await run();

    expect(sent()).toEqual([...a, ...b]);
    expect(await keys()).toEqual([]);
    expect(summary).toMatchObject({
      objects: 2,
      records: 5,
      bytes: [...a, ...b].join('').length,
      resent: { objects: 2, records: 5 },
      kept: [],
    });
    expect(firehose.commandCalls(PutRecordBatchCommand)[0]!.args[0].input.DeliveryStreamName).toBe(
      'lead-scoring-staging-scores',
    );
  });

  it('sends 1,200 records of one object in calls of 500, 500 and 200', async () => {
    refusing('never');
    await put(`${PREFIX}dt=2026-12-07/hour=03/1-big.ndjson`, lines(0, 1_200).join(''));

    await run();

    expect(firehose.commandCalls(PutRecordBatchCommand).map((c) => c.args[0].input.Records?.length)).toEqual([
      500, 500, 200,
    ]);
  });

  it('keeps only the records Firehose refuses, so a re-run sends each record once', async () => {
    refusing('"r1"');
    const key = `${PREFIX}dt=2026-12-07/hour=03/1-a.ndjson`;
    const a = lines(0, 3);
    await put(key, a.join(''));
    await put(`${PREFIX}dt=2026-12-07/hour=03/2-b.ndjson`, lines(3, 2).join(''));

    const first = await run();

    expect(first.kept).toEqual([expect.objectContaining({ key, outcome: 'kept', records: 3, left: 1 })]);
    expect(first.resent).toEqual({ objects: 1, records: 2 });
    expect(await keys()).toEqual([key]);
    expect(await body(key)).toBe(a[1]);

    firehose.reset();
    refusing('never');
    const second = await run();

    expect(sent()).toEqual([a[1]]);
    expect(second).toMatchObject({ objects: 1, records: 1, kept: [] });
    expect(await keys()).toEqual([]);
  });

  it('with --dry-run counts what it would send, and sends, rewrites and deletes nothing', async () => {
    await put(`${PREFIX}dt=2026-12-07/hour=03/1-a.ndjson`, lines(0, 4).join(''));

    const summary = await run(true);

    expect(summary).toMatchObject({
      dryRun: true,
      objects: 1,
      records: 4,
      resent: { objects: 0, records: 0 },
      kept: [],
    });
    expect(firehose.commandCalls(PutRecordBatchCommand)).toHaveLength(0);
    expect(await keys()).toHaveLength(1);
  });

  it('leaves an object with a line that is not a JSON record as it is', async () => {
    refusing('never');
    const key = `${PREFIX}dt=2026-12-07/hour=03/1-bad.ndjson`;
    await put(key, `${lines(0, 1).join('')}not json\n`);

    const summary = await run();

    expect(summary.kept).toEqual([expect.objectContaining({ key, reason: 'line 2 is not a JSON record' })]);
    expect(firehose.commandCalls(PutRecordBatchCommand)).toHaveLength(0);
    expect(await keys()).toEqual([key]);
  });

  it('prints the summary, then fails with LAKE_RESEND_INCOMPLETE, when objects remain', async () => {
    firehose.on(PutRecordBatchCommand).rejects(new Error('ServiceUnavailable'));
    await put(`${PREFIX}dt=2026-12-07/hour=03/1-a.ndjson`, lines(0, 2).join(''));
    let stdout = '';

    const failure = lakeResendCommand(
      { stdout: (t) => (stdout += t), stderr: () => undefined },
      { env: 'staging' },
      { s3, firehose: new FirehoseClient({ region: 'eu-west-1' }) },
    );

    await expect(failure).rejects.toMatchObject({ code: 'LAKE_RESEND_INCOMPLETE' });
    expect(JSON.parse(stdout)).toMatchObject({ objects: 1, records: 2, kept: [{ left: 2 }] });
    expect(await keys()).toHaveLength(1);
  }, 30_000);
});

describe('lake-resend command line', () => {
  it('names the missing lake settings of an environment', async () => {
    const root = tempDir();
    const file = path.join(root, 'environments.json');
    const envs = JSON.parse(readFileSync(defaultEnvironmentsFile(), 'utf8')) as Record<string, Record<string, unknown>>;
    delete envs['staging']!['lake'];
    writeFileSync(file, JSON.stringify(envs));

    const result = await runInProcess(['lake-resend', '--env', 'staging', '--config', file]);

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/LAKE_NOT_CONFIGURED.*"staging"/);
    rmSync(root, { recursive: true, force: true });
  });

  it('says which environments exist when given an unknown one', async () => {
    const result = await runInProcess(['lake-resend', '--env', 'qa', '--dry-run']);

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/ENV_UNKNOWN/);
  });
});
