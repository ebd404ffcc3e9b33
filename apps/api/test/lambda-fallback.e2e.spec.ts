import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import S3rver from 's3rver';
import { loadConfig } from '../src/config';
import { createLambdaHandler } from '../src/lambda-handler';
import v1Sample from './fixtures/apigw-rest-v1-post-score.json';
import { lambdaContext } from './support/lambda';

process.env['AWS_EC2_METADATA_DISABLED'] = 'true';
process.env['AWS_ACCESS_KEY_ID'] = 'S3RVER';
process.env['AWS_SECRET_ACCESS_KEY'] = 'S3RVER';
process.env['AWS_REGION'] = 'us-east-1';

const BUCKET = 'lead-scoring-lake-e2e';
const v1 = v1Sample as unknown as APIGatewayProxyEvent;
const context = lambdaContext;
const firehose = mockClient(FirehoseClient);
let dir: string;
let server: S3rver;
let s3: S3Client;

function handlerWith(fallbackUri: string) {
  const env = {
    LOG_LEVEL: 'SILENT',
    METRICS: 'off',
    FIREHOSE_STREAM_NAME: 'lead-scores',
    LAKE_FALLBACK_S3_URI: fallbackUri,
  };
  return createLambdaHandler({ config: loadConfig(env), env, s3 });
}

async function failedObjects(): Promise<{ key: string; body: string }[]> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: '_failed/' }));
  return Promise.all(
    (listed.Contents ?? []).map(async (o) => {
      const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: o.Key! }));
      return { key: o.Key!, body: await got.Body!.transformToString() };
    }),
  );
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 's3rver-lake-'));
  server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: dir,
    configureBuckets: [{ name: BUCKET }],
  });
  const { port } = await server.run();
  s3 = new S3Client({ endpoint: `http://127.0.0.1:${port}`, forcePathStyle: true, region: 'us-east-1' });
});

afterAll(async () => {
  s3.destroy();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => firehose.reset());

describe('Lambda lake fallback against an S3-compatible server (s3rver)', () => {
  it('lands the records Firehose refuses in _failed/ as NDJSON, exactly the lines Firehose was sent, and answers 200', async () => {
    // The second of the two records is refused on every attempt.
    firehose.on(PutRecordBatchCommand).callsFake((input: { Records: unknown[] }) => ({
      FailedPutCount: 1,
      RequestResponses: input.Records.map((_, i) =>
        i === input.Records.length - 1 ? { ErrorCode: 'ServiceUnavailableException' } : { RecordId: `r${i}` },
      ),
    }));
    const lambda = handlerWith(`s3://${BUCKET}/_failed/`);

    const res = await lambda.handler(v1, context);

    expect(res.statusCode).toBe(200);
    const objects = await failedObjects();
    expect(objects).toHaveLength(1);
    expect(objects[0]!.key).toMatch(/^_failed\/dt=\d{4}-\d{2}-\d{2}\/hour=\d{2}\/\d+-[0-9a-f-]{36}\.ndjson$/);
    const refused = new TextDecoder().decode(
      firehose.commandCalls(PutRecordBatchCommand)[0]!.args[0].input.Records![1]!.Data,
    );
    expect(objects[0]!.body).toBe(refused);
    expect(JSON.parse(objects[0]!.body)).toMatchObject({
      request_id: '77375676-xmpl-4b79-853a-f982474efe18',
      features: expect.any(Object),
    });
  }, 60_000);

  it('answers 503 LAKE_UNAVAILABLE when Firehose is down and the fallback bucket refuses the object', async () => {
    firehose.on(PutRecordBatchCommand).rejects(new Error('ServiceUnavailable'));
    const lambda = handlerWith('s3://no-such-lake-bucket/_failed/');

    const res = await lambda.handler(v1, context);

    expect(res.statusCode).toBe(503);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'LAKE_UNAVAILABLE' } });
  }, 60_000);
});
