import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { demoFeatures } from '@lead-scoring/model-bundle/testing';
import { loadConfig } from '../src/config';
import { createLambdaHandler } from '../src/lambda-handler';
import v1Sample from './fixtures/apigw-rest-v1-post-score.json';
import { lambdaContext, firehoseLakeEnv } from './support/lambda';

process.env['AWS_REGION'] = 'us-east-1';
process.env['AWS_ACCESS_KEY_ID'] = 'test';
process.env['AWS_SECRET_ACCESS_KEY'] = 'test';
process.env['AWS_EC2_METADATA_DISABLED'] = 'true';

const v1 = v1Sample as unknown as APIGatewayProxyEvent;
const firehose = mockClient(FirehoseClient);
const s3 = mockClient(S3Client);
const context = lambdaContext;

const env = firehoseLakeEnv;
const lambda = createLambdaHandler({ config: loadConfig(env), env });

/** Runs one invocation with stdout captured; resolves its result and the EMF documents it printed. */
async function invoke(
  ctx: Context = context,
): Promise<{ res: Awaited<ReturnType<typeof lambda.handler>>; emf: Record<string, unknown>[] }> {
  const out = captureStdout();
  try {
    const res = await lambda.handler(v1, ctx);
    return { res, emf: out.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((o) => o['_aws']) };
  } finally {
    out.restore();
  }
}

function captureStdout(): { lines: string[]; restore(): void } {
  const lines: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(
      ...String(chunk)
        .split('\n')
        .filter((l) => l.startsWith('{')),
    );
    return true;
  });
  return { lines, restore: () => spy.mockRestore() };
}

const rows = (JSON.parse(v1.body!) as unknown[]).length;
const sentRecords = () => firehose.commandCalls(PutRecordBatchCommand).flatMap((c) => c.args[0].input.Records ?? []);

describe('Lambda handler observability', () => {
  beforeEach(() => {
    firehose.reset();
    s3.reset();
    firehose.on(PutRecordBatchCommand).resolves({ FailedPutCount: 0, RequestResponses: [] });
    s3.on(PutObjectCommand).resolves({});
  });

  it("has sent the invocation's lake records to Firehose by the time the invocation resolves", async () => {
    const { res, emf } = await invoke();

    expect(res.statusCode).toBe(200);
    const calls = firehose.commandCalls(PutRecordBatchCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input.DeliveryStreamName).toBe('lead-scores');
    const records = (calls[0]?.args[0].input.Records ?? []).map(
      (r) => JSON.parse(new TextDecoder().decode(r.Data)) as Record<string, unknown>,
    );
    expect(records).toHaveLength(rows);
    expect(records[0]).toMatchObject({ request_id: '77375676-xmpl-4b79-853a-f982474efe18', degraded: false });
    expect(Object.keys((records[0] as { features: object }).features)).toEqual(
      expect.arrayContaining(
        demoFeatures()
          .filter((s) => !s.allowMissing)
          .map((s) => s.name),
      ),
    );
    expect(emf).toHaveLength(1);
    expect(emf[0]).toMatchObject({ Requests: 1, Route: '/score', Status: '200', LakeRecordsWritten: rows });
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  }, 60_000);

  it("answers 200 while Firehose is down: the fallback object holds the invocation's records", async () => {
    firehose.reset();
    firehose.on(PutRecordBatchCommand).rejects(new Error('ServiceUnavailable'));

    const { res, emf } = await invoke();

    expect(res.statusCode).toBe(200);
    const puts = s3.commandCalls(PutObjectCommand);
    expect(puts).toHaveLength(1);
    expect(puts[0]!.args[0].input).toMatchObject({
      Bucket: 'lead-scoring-lake-test',
      Key: expect.stringMatching(/^_failed\/dt=/),
    });
    const lines = new TextDecoder()
      .decode(puts[0]!.args[0].input.Body as Uint8Array)
      .trimEnd()
      .split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { request_id: string }).request_id)).toEqual(
      Array(rows).fill('77375676-xmpl-4b79-853a-f982474efe18'),
    );
    expect(emf[0]).toMatchObject({ Status: '200', LakeRecordsFallback: rows, LakeRecordsFailed: rows });
  }, 60_000);

  it('answers 503 LAKE_UNAVAILABLE with Retry-After, and counts a 503, when the fallback fails too', async () => {
    firehose.reset();
    firehose.on(PutRecordBatchCommand).rejects(new Error('ServiceUnavailable'));
    s3.on(PutObjectCommand).rejects(new Error('AccessDenied'));

    const { res, emf } = await invoke();

    expect(res.statusCode).toBe(503);
    expect(res.headers).toMatchObject({ 'retry-after': '1', 'x-request-id': '77375676-xmpl-4b79-853a-f982474efe18' });
    expect(JSON.parse(res.body)).toEqual({ error: { code: 'LAKE_UNAVAILABLE', message: expect.any(String) } });
    expect(emf).toHaveLength(1);
    expect(emf[0]).toMatchObject({ Status: '503', Requests: 1, LakeRecordsUnplaced: rows });
  }, 60_000);

  it('answers 503 when the invocation has no time left to place its records', async () => {
    const { res } = await invoke({ ...context, getRemainingTimeInMillis: () => 200 } as unknown as Context);

    expect(res.statusCode).toBe(503);
    expect(sentRecords()).toHaveLength(0);
  }, 60_000);

  it('sends only its own records after an invocation that answered 503', async () => {
    firehose.reset();
    firehose.on(PutRecordBatchCommand).rejects(new Error('ServiceUnavailable'));
    s3.on(PutObjectCommand).rejects(new Error('AccessDenied'));
    expect((await invoke()).res.statusCode).toBe(503);
    firehose.reset();
    firehose.on(PutRecordBatchCommand).resolves({ FailedPutCount: 0, RequestResponses: [] });

    expect((await invoke()).res.statusCode).toBe(200);

    expect(sentRecords()).toHaveLength(rows);
  }, 60_000);
});
