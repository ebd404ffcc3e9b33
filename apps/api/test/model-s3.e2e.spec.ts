import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { pack } from 'tar-stream';
import S3rver from 's3rver';
import { DEMO_BUNDLE_DIR } from '@lead-scoring/model-bundle';
import { loadConfig } from '../src/config';
import { createLambdaHandler } from '../src/lambda-handler';
import { loadModelBundle } from '../src/model-source';

process.env['AWS_EC2_METADATA_DISABLED'] = 'true';
process.env['AWS_ACCESS_KEY_ID'] = 'S3RVER';
process.env['AWS_SECRET_ACCESS_KEY'] = 'S3RVER';
process.env['AWS_REGION'] = 'us-east-1';

const manifest = readFileSync(join(DEMO_BUNDLE_DIR, 'manifest.json'));
const model = readFileSync(join(DEMO_BUNDLE_DIR, 'xgboost-model'));
let dir: string;
let server: S3rver;
let endpoint: string;
let s3: S3Client;

function tarGz(files: Record<string, Buffer>): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const p = pack();
    const chunks: Buffer[] = [];
    p.on('data', (c: unknown) => chunks.push(c as Buffer));
    p.on('end', () => resolve(gzipSync(Buffer.concat(chunks))));
    p.on('error', reject);
    for (const [name, content] of Object.entries(files)) p.entry({ name }, content);
    p.finalize();
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 's3rver-'));
  server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: dir,
    configureBuckets: [{ name: 'models' }],
  });
  const { port } = await server.run();
  endpoint = `http://127.0.0.1:${port}`;
  s3 = new S3Client({ endpoint, forcePathStyle: true, region: 'us-east-1' });
  const put = (Key: string, Body: Buffer) => s3.send(new PutObjectCommand({ Bucket: 'models', Key, Body }));
  await put('lead-scoring/v1/manifest.json', manifest);
  await put('lead-scoring/v1/xgboost-model', model);
  await put('lead-scoring/v2/model.tar.gz', await tarGz({ 'manifest.json': manifest, 'xgboost-model': model }));
  await put('broken/manifest.json', manifest);
  await put('broken/xgboost-model', model.subarray(0, 1000));
});

afterAll(async () => {
  s3.destroy();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('model from S3 (s3rver)', () => {
  it('loads a bundle from an S3 prefix', async () => {
    const bundle = await loadModelBundle({ kind: 's3', uri: 's3://models/lead-scoring/v1/', endpointUrl: endpoint });
    expect([bundle.dir, bundle.manifest.name, bundle.model.numFeatures]).toEqual([
      's3://models/lead-scoring/v1/',
      'lead-scoring-demo',
      50,
    ]);
  });

  it('loads a bundle from a SageMaker-style model.tar.gz', async () => {
    const bundle = await loadModelBundle({ kind: 's3', uri: 's3://models/lead-scoring/v2/model.tar.gz' }, { s3 });
    expect(bundle.manifest.sha256).toBe(JSON.parse(manifest.toString()).sha256);
  });

  it('fails with the object and the sha256 problem when the model file is truncated', async () => {
    await expect(loadModelBundle({ kind: 's3', uri: 's3://models/broken' }, { s3 })).rejects.toThrow(/sha256/);
  });

  it('fails naming the S3 object that is missing', async () => {
    await expect(loadModelBundle({ kind: 's3', uri: 's3://models/nothing-here' }, { s3 })).rejects.toThrow(
      /s3:\/\/models\/nothing-here\/(manifest\.json|xgboost-model)/,
    );
  });

  it('serves scores from the Lambda handler configured with MODEL_S3_URI', async () => {
    const env = { LOG_LEVEL: 'SILENT', MODEL_S3_URI: 's3://models/lead-scoring/v1', MODEL_S3_ENDPOINT_URL: endpoint };
    const lambda = createLambdaHandler({ config: loadConfig(env), env });

    const res = await lambda.handleEvent({
      version: '2.0',
      routeKey: 'GET /ready',
      rawPath: '/ready',
      rawQueryString: '',
      headers: {},
      isBase64Encoded: false,
      requestContext: { http: { method: 'GET', path: '/ready' }, requestId: 'r', stage: '$default' },
    } as never);

    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body).model.name).toBe('lead-scoring-demo');
  });
});
