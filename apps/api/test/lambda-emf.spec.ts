import type { APIGatewayProxyEvent } from 'aws-lambda';
import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { mockClient } from 'aws-sdk-client-mock';
import { mulberry32, sampleLead } from '@lead-scoring/feature-schema/testing';
import { demoFeatures } from '@lead-scoring/model-bundle/testing';
import { loadConfig } from '../src/config';
import { createLambdaHandler } from '../src/lambda-handler';
import v1Sample from './fixtures/apigw-rest-v1-post-score.json';
import { lambdaContext, firehoseLakeEnv } from './support/lambda';

process.env['AWS_REGION'] = 'us-east-1';
process.env['AWS_ACCESS_KEY_ID'] = 'test';
process.env['AWS_SECRET_ACCESS_KEY'] = 'test';
process.env['AWS_EC2_METADATA_DISABLED'] = 'true';

type Emf = {
  _aws: { CloudWatchMetrics: { Dimensions: string[][]; Metrics: { Name: string }[] }[] };
  [k: string]: unknown;
};

const firehose = mockClient(FirehoseClient);
const context = lambdaContext;
const env = firehoseLakeEnv;
const lambda = createLambdaHandler({ config: loadConfig(env), env });
const specs = demoFeatures();

/** A REST API event with 50 random valid leads; the first three carry `flagged` out-of-range values. */
function event50(flagged = 0): APIGatewayProxyEvent {
  const rng = mulberry32(50);
  const rows = Array.from({ length: 50 }, () => sampleLead(specs, rng));
  const bounded = specs
    .map((s, i) => ({ s, i }))
    .filter(({ s }) => Number.isFinite(s.max))
    .slice(0, flagged);
  for (let r = 0; r < 3; r++) for (const { s, i } of bounded) rows[r]![i] = s.max + 1;
  return { ...(v1Sample as unknown as APIGatewayProxyEvent), body: JSON.stringify(rows) };
}

/** What one invocation prints on stdout, line by line. */
async function stdoutOf(event: APIGatewayProxyEvent): Promise<string[]> {
  await lambda.app;
  const lines: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(
      ...String(chunk)
        .split('\n')
        .filter((l) => l !== ''),
    );
    return true;
  });
  try {
    expect((await lambda.handler(event, context)).statusCode).toBe(200);
  } finally {
    spy.mockRestore();
  }
  return lines;
}

beforeEach(() => {
  firehose.reset();
  firehose.on(PutRecordBatchCommand).resolves({ FailedPutCount: 0, RequestResponses: [] });
});

describe('Lambda EMF metrics', () => {
  it('prints exactly one EMF document for a 50-lead invocation, holding every metric of it', async () => {
    const lines = await stdoutOf(event50(2));

    expect(lines).toHaveLength(1);
    const doc = JSON.parse(lines[0]!) as Emf;
    const names = doc._aws.CloudWatchMetrics.flatMap((d) => d.Metrics.map((m) => m.Name));
    expect(names).toEqual(
      expect.arrayContaining([
        'Requests',
        'RequestLatency',
        'ModelLatency',
        'BatchSize',
        'LakeRecordsWritten',
        'FeatureWarnings',
      ]),
    );
    const scores = names.filter((n) => /^Score[1-5]$/.test(n));
    expect(scores.reduce((s, n) => s + Number(doc[n]), 0)).toBe(50);
    expect(names.filter((n) => n.startsWith('FeatureWarnings.'))).toHaveLength(2);
    expect(doc).toMatchObject({
      Route: '/score',
      Status: '200',
      Requests: 1,
      BatchSize: 50,
      LakeRecordsWritten: 50,
      FeatureWarnings: 6,
    });
  });

  it('keeps a typical 50-lead invocation under 1 KB of CloudWatch Logs', async () => {
    const lines = await stdoutOf(event50());

    expect(Buffer.byteLength(lines.join(''))).toBeLessThan(1_000);
  });
});
