/**
 * The SageMaker path end to end: API (SCORER=sagemaker) → real AWS SDK → real HTTP → model server
 * (a child process) → evaluator, compared with the API in-process; then faults through a fake endpoint.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { mulberry32, sampleLead } from '@lead-scoring/feature-schema/testing';
import { demoFeatures } from '@lead-scoring/model-bundle/testing';
import { DEMO_BUNDLE_DIR, loadBundle } from '@lead-scoring/model-bundle';
import { startFakeEndpoint, type FakeEndpoint } from '@lead-scoring/scoring-client/testing';
import { loadConfig } from '../src/config';
import { startServer, type RunningServer } from '../src/server';

const ROOT = join(__dirname, '..', '..', '..');
const DEADLINE_MS = 400;
const SLACK_MS = 600;
let rows: (number | null)[][] = [];
const savedEnv = { ...process.env };
const servers: RunningServer[] = [];
let modelServer: ChildProcess;
let modelServerUrl: string;
let fake: FakeEndpoint;

const freePort = () =>
  new Promise<number>((done) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => done(port));
    });
  });

async function waitFor200(url: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} never answered 200`);
}

/** Starts the API in this process with the scorer variables given (the scorer reads process.env once the model is loaded). */
async function startApi(scorerEnv: Record<string, string>): Promise<RunningServer> {
  // LAKE=off: this test is about the scorer; a lake would write into the repository's ./var/lake.
  process.env = {
    ...savedEnv,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_EC2_METADATA_DISABLED: 'true',
    LAKE: 'off',
    ...scorerEnv,
  };
  const server = await startServer(loadConfig({ ...process.env, PORT: '0', LOG_LEVEL: 'SILENT' }), {
    host: '127.0.0.1',
  });
  servers.push(server);
  return server;
}

const sagemakerEnv = (url: string, extra: Record<string, string> = {}) => ({
  SCORER: 'sagemaker',
  SAGEMAKER_ENDPOINT_NAME: 'lead-scoring-local',
  SAGEMAKER_ENDPOINT_URL: url,
  AWS_REGION: 'us-east-1',
  SAGEMAKER_TIMEOUT_MS: String(DEADLINE_MS),
  SAGEMAKER_BREAKER_HALF_OPEN_MS: '200',
  ...extra,
});

/** POST /score over a fresh connection (no keep-alive), so shutting the API down never waits on an idle socket. */
function score(
  server: RunningServer,
  explain = 0,
): Promise<{ status: number; ms: number; body: { results?: unknown[]; error?: { code: string } } }> {
  const t0 = performance.now();
  const payload = JSON.stringify(rows);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        path: `/score${explain ? `?explain=${explain}` : ''}`,
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0, body: JSON.parse(text) }),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

beforeAll(async () => {
  const rng = mulberry32(99);
  rows = Array.from({ length: 50 }, () => sampleLead(demoFeatures(), rng));
  const port = await freePort();
  modelServerUrl = `http://127.0.0.1:${port}`;
  modelServer = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'apps/model-server/src/main.ts')], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', SM_MODEL_DIR: DEMO_BUNDLE_DIR },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  modelServer.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  modelServer.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  await waitFor200(`${modelServerUrl}/ping`).catch((err: Error) => {
    throw new Error(`${err.message}; model server output:\n${output}`);
  });
  fake = await startFakeEndpoint((await loadBundle(DEMO_BUNDLE_DIR)).model);
}, 60_000);

afterEach(() => {
  fake.behaviour = { kind: 'ok' };
});

afterAll(async () => {
  await Promise.all(servers.map(async (s) => Promise.all([s.shutdown(), s.app.scorer.close()])));
  await fake.stop();
  if (modelServer.exitCode === null) {
    const exited = new Promise((r) => modelServer.once('exit', r));
    modelServer.kill('SIGTERM');
    await exited;
  }
  process.env = savedEnv;
}, 20_000);

describe('API with SCORER=sagemaker against the model server', () => {
  it('gives scores, probabilities and reasons identical to the in-process API', async () => {
    const inprocess = await startApi({ SCORER: 'inprocess' });
    const sagemaker = await startApi(sagemakerEnv(modelServerUrl));

    const a = await score(inprocess, 3);
    const b = await score(sagemaker, 3);

    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(b.body.results).toHaveLength(50);
    expect(b.body.results).toEqual(a.body.results);
  });
});

describe('API with SCORER=sagemaker when the endpoint fails', () => {
  it.each([
    ['slower than the deadline', { kind: 'slow', delayMs: DEADLINE_MS * 3 } as const, 504, 'UPSTREAM_TIMEOUT'],
    ['returning 500', { kind: 'status', status: 500 } as const, 502, 'UPSTREAM_ERROR'],
    ['returning garbage', { kind: 'garbage' } as const, 502, 'UPSTREAM_BAD_RESPONSE'],
  ])('answers within its deadline when the endpoint is %s', async (_what, behaviour, status, code) => {
    const api = await startApi(sagemakerEnv(fake.url, { SAGEMAKER_BREAKER_FAILURES: '100' }));
    fake.behaviour = behaviour;

    const res = await score(api);

    expect(res.status).toBe(status);
    expect(res.body.error?.code).toBe(code);
    expect(res.ms).toBeLessThan(DEADLINE_MS + SLACK_MS);
  });

  it('answers 503 when the endpoint refuses connections', async () => {
    const api = await startApi(sagemakerEnv(`http://127.0.0.1:${await freePort()}`));

    const res = await score(api);

    expect(res.status).toBe(503);
    expect(res.body.error?.code).toBe('UPSTREAM_UNAVAILABLE');
  });

  it('falls back to in-process, marked degraded, and opens then closes the circuit', async () => {
    const reference = await score(await startApi({ SCORER: 'inprocess' }));
    const api = await startApi(
      sagemakerEnv(fake.url, {
        SCORER_FALLBACK: 'inprocess',
        SAGEMAKER_BREAKER_FAILURES: '2',
        SAGEMAKER_MAX_RETRIES: '0',
      }),
    );
    fake.behaviour = { kind: 'status', status: 503, errorType: 'ServiceUnavailable' };

    await score(api);
    await score(api);
    const before = fake.requests;
    const whileOpen = await score(api);
    const requestsWhileOpen = fake.requests - before;
    fake.behaviour = { kind: 'ok' };
    await new Promise((r) => setTimeout(r, 300));
    const recovered = await score(api);

    expect(whileOpen.status).toBe(200);
    expect(whileOpen.body.results).toEqual((reference.body.results as object[]).map((r) => ({ ...r, degraded: true })));
    expect(requestsWhileOpen).toBe(0);
    expect(recovered.body.results).toEqual(reference.body.results);
  });
});

describe('API with SCORER=sagemaker when the model server stops mid-run', () => {
  it('keeps answering, degraded, from the in-process fallback', async () => {
    const api = await startApi(sagemakerEnv(modelServerUrl, { SCORER_FALLBACK: 'inprocess' }));
    const before = await score(api);
    const exited = new Promise((r) => modelServer.once('exit', r));
    modelServer.kill('SIGTERM');
    await exited;

    const after = await score(api);

    expect(before.body.results?.[0]).not.toHaveProperty('degraded');
    expect(after.status).toBe(200);
    expect(after.body.results?.[0]).toMatchObject({ degraded: true });
    expect(after.ms).toBeLessThan(DEADLINE_MS + SLACK_MS);
  });
});
