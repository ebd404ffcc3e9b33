import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { mockClient } from 'aws-sdk-client-mock';
import { demoFeatures } from '@lead-scoring/model-bundle/testing';
import { loadConfig } from '../src/config';
import { createLambdaHandler } from '../src/lambda-handler';
import v1Sample from './fixtures/apigw-rest-v1-post-score.json';

process.env['AWS_REGION'] = 'us-east-1';
process.env['AWS_ACCESS_KEY_ID'] = 'test';
process.env['AWS_SECRET_ACCESS_KEY'] = 'test';
process.env['AWS_EC2_METADATA_DISABLED'] = 'true';

const v1 = v1Sample as unknown as APIGatewayProxyEvent;
const firehose = mockClient(FirehoseClient);
const context = { functionName: 'lead-scoring-api', awsRequestId: 'r-1', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;

function captureStdout(): { lines: string[]; restore(): void } {
  const lines: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split('\n').filter((l) => l.startsWith('{')));
    return true;
  });
  return { lines, restore: () => spy.mockRestore() };
}

describe('Lambda handler observability', () => {
  const env = { LOG_LEVEL: 'SILENT', FIREHOSE_STREAM_NAME: 'lead-scores' };
  const lambda = createLambdaHandler({ config: loadConfig(env), env });
  beforeEach(() => {
    firehose.reset();
    firehose.on(PutRecordBatchCommand).resolves({ FailedPutCount: 0, RequestResponses: [] });
  });

  it('has sent the invocation\'s lake records to Firehose by the time the invocation resolves', async () => {
    const out = captureStdout();
    let res;
    try {
      res = await lambda.handler(v1, context);
    } finally {
      out.restore();
    }

    expect(res.statusCode).toBe(200);
    const calls = firehose.commandCalls(PutRecordBatchCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input.DeliveryStreamName).toBe('lead-scores');
    const records = (calls[0]?.args[0].input.Records ?? []).map((r) => JSON.parse(new TextDecoder().decode(r.Data)) as Record<string, unknown>);
    expect(records).toHaveLength(JSON.parse(v1.body!).length);
    expect(records[0]).toMatchObject({ request_id: '77375676-xmpl-4b79-853a-f982474efe18', degraded: false });
    expect(Object.keys((records[0] as { features: object }).features)).toEqual(expect.arrayContaining(demoFeatures().filter((s) => !s.allowMissing).map((s) => s.name)));
    const emf = out.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((o) => o['_aws']);
    expect(emf.some((o) => o['Requests'] === 1 && o['Route'] === '/score' && o['Status'] === '200')).toBe(true);
    expect(emf.some((o) => o['LakeRecordsWritten'] === records.length)).toBe(true);
  }, 60_000);

  it('still answers when Firehose is down, keeping the records for the next invocation', async () => {
    firehose.reset();
    firehose.on(PutRecordBatchCommand).rejects(new Error('unavailable'));
    const shortContext = { ...context, getRemainingTimeInMillis: () => 400 } as unknown as Context;
    const out = captureStdout();
    let res;
    try {
      res = await lambda.handler(v1, shortContext);
    } finally {
      out.restore();
    }
    expect(res.statusCode).toBe(200);
    firehose.reset();
    firehose.on(PutRecordBatchCommand).resolves({ FailedPutCount: 0, RequestResponses: [] });
    const out2 = captureStdout();
    try {
      await lambda.handler(v1, context);
    } finally {
      out2.restore();
    }
    const sent = firehose.commandCalls(PutRecordBatchCommand).flatMap((c) => c.args[0].input.Records ?? []);
    expect(sent).toHaveLength(2 * JSON.parse(v1.body!).length);
  }, 60_000);
});
