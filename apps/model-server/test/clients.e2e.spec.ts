import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { InvokeEndpointCommand, ModelError, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { DEMO_BUNDLE_DIR, loadBundle, type ModelBundle } from '@lead-scoring/model-bundle';
import { demoModelDir, removeDir, sampleRows, startServer, tempDir, toCsv, type TestServer } from './support';

const run = promisify(execFile);
const PYTHON = '/usr/bin/python3';
const ENDPOINT = 'lead-scoring-local';
const AWS_ENV = {
  ...process.env,
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_CONFIG_FILE: '/nonexistent',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
  AWS_PAGER: '',
};

let bundle: ModelBundle;
let dir: string;
let work: string;
let server: TestServer;
const rows = sampleRows(50, 3);
const csvLines = (text: string) =>
  text
    .trimEnd()
    .split('\n')
    .map((l) => l.split(',').map(Number));

/** Debian's awscli first (the one CI installs), then whatever `aws` is on PATH. */
function awsCli(): string {
  if (existsSync('/usr/bin/aws')) return '/usr/bin/aws';
  const onPath = (process.env['PATH'] ?? '')
    .split(':')
    .map((p) => join(p, 'aws'))
    .find((p) => existsSync(p));
  if (!onPath) throw new Error('the AWS CLI is not installed: `apt-get install -y awscli` (Debian) to run this test');
  return onPath;
}

const BOTO3_INVOKE = `
import sys, boto3
c = boto3.client('sagemaker-runtime', endpoint_url=sys.argv[1], region_name='us-east-1')
body = open(sys.argv[2], 'rb').read()
try:
    r = c.invoke_endpoint(EndpointName='${ENDPOINT}', ContentType='text/csv', Accept='text/csv', Body=body)
    sys.stdout.write(r['Body'].read().decode())
except c.exceptions.ModelError as e:
    sys.stdout.write('ModelError %s %s' % (e.response['OriginalStatusCode'], e.response['Error']['Message']))
`;

async function boto3(file: string): Promise<string> {
  try {
    await run(PYTHON, ['-c', 'import boto3']);
  } catch {
    throw new Error('boto3 is not installed for /usr/bin/python3: `apt-get install -y python3-boto3` to run this test');
  }
  const { stdout } = await run(PYTHON, ['-c', BOTO3_INVOKE, server.url, file], { env: AWS_ENV });
  return stdout;
}

beforeAll(async () => {
  bundle = await loadBundle(DEMO_BUNDLE_DIR);
  dir = await demoModelDir();
  work = await tempDir();
  server = await startServer(dir);
});

afterAll(async () => {
  await server.stop();
  await removeDir(dir);
  await removeDir(work);
});

describe('real SageMaker Runtime clients against the model server', () => {
  it('the JS SDK (InvokeEndpoint) gets the in-process predictions', async () => {
    const client = new SageMakerRuntimeClient({
      region: 'us-east-1',
      endpoint: server.url,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });

    const out = await client.send(
      new InvokeEndpointCommand({
        EndpointName: ENDPOINT,
        ContentType: 'text/csv',
        Accept: 'text/csv',
        Body: toCsv(rows),
      }),
    );

    expect(out.ContentType).toBe('text/csv');
    expect(out.InvokedProductionVariant).toBe('AllTraffic');
    expect(csvLines(Buffer.from(out.Body!).toString('utf8'))).toEqual(bundle.model.predict(rows));
    client.destroy();
  });

  it('the JS SDK sees bad input as a ModelError with the model’s 400 and message', async () => {
    const client = new SageMakerRuntimeClient({
      region: 'us-east-1',
      endpoint: server.url,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });

    const attempt = client.send(
      new InvokeEndpointCommand({ EndpointName: ENDPOINT, ContentType: 'text/csv', Body: '1,2,3\n' }),
    );

    await expect(attempt).rejects.toBeInstanceOf(ModelError);
    await expect(attempt).rejects.toMatchObject({
      OriginalStatusCode: 400,
      message: expect.stringContaining('the model takes 50'),
    });
    client.destroy();
  });

  it('boto3 (endpoint_url) gets the in-process predictions', async () => {
    const file = join(work, 'rows.csv');
    await writeFile(file, toCsv(rows));

    const stdout = await boto3(file);

    expect(csvLines(stdout)).toEqual(bundle.model.predict(rows));
  });

  it('boto3 raises ModelError for bad input', async () => {
    const file = join(work, 'bad.csv');
    await writeFile(file, 'a,b\n');

    const stdout = await boto3(file);

    expect(stdout).toMatch(/^ModelError 400 Received client error \(400\)/);
  });

  it('the AWS CLI (invoke-endpoint --endpoint-url) gets the in-process predictions', async () => {
    const body = join(work, 'cli-rows.csv');
    const out = join(work, 'out.csv');
    await writeFile(body, toCsv(rows));

    await run(
      awsCli(),
      [
        'sagemaker-runtime',
        'invoke-endpoint',
        '--endpoint-url',
        server.url,
        '--region',
        'us-east-1',
        '--endpoint-name',
        ENDPOINT,
        '--content-type',
        'text/csv',
        '--accept',
        'text/csv',
        '--body',
        `fileb://${body}`,
        out,
      ],
      { env: AWS_ENV },
    );

    expect(csvLines(await readFile(out, 'utf8'))).toEqual(bundle.model.predict(rows));
  });
});
