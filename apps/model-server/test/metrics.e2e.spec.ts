import { readConfig } from '../src/config';
import { createModelServerMetrics } from '../src/server-metrics';
import { demoModelDir, removeDir, sampleRows, startServer, toCsv, type TestServer } from './support';

let dir: string;
let server: TestServer;
let off: TestServer;
const rows = sampleRows(5);

const post = (s: TestServer, path: string, body: string) =>
  fetch(`${s.url}${path}`, { method: 'POST', body, headers: { 'Content-Type': 'text/csv' } });
const scrape = async (): Promise<string> => (await fetch(`${server.url}/metrics`)).text();
/** The value of one sample, e.g. `sample(text, 'lead_scoring_batch_size_sum')`; undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

beforeAll(async () => {
  dir = await demoModelDir();
  // As main.ts builds them: from the typed config, process metrics included.
  server = await startServer(dir, { metrics: createModelServerMetrics(readConfig({})) });
  off = await startServer(dir, { metrics: createModelServerMetrics(readConfig({ METRICS: 'off' })) });
  // The traffic the scrapes below describe: one good batch of 5 rows, one bad request, two other paths.
  expect((await post(server, '/invocations', toCsv(rows))).status).toBe(200);
  expect((await post(server, '/invocations', '1,2,3\n')).status).toBe(400);
  expect((await post(server, '/endpoints/my-endpoint/invocations', toCsv(rows.slice(0, 2)))).status).toBe(200);
  expect((await fetch(`${server.url}/no/such/path?x=1`)).status).toBe(404);
});

afterAll(async () => {
  await server.stop();
  await off.stop();
  await removeDir(dir);
});

describe('model server: GET /metrics', () => {
  it('answers 200 in the Prometheus text format', async () => {
    const res = await fetch(`${server.url}/metrics`);

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await res.text()).toContain('# TYPE lead_scoring_requests_total counter');
  });

  it('counts requests by route and status: the scored invocation as 200 and the bad one as 400', async () => {
    const text = await scrape();

    expect(sample(text, 'lead_scoring_requests_total{route="/invocations",status="200"}')).toBe(1);
    expect(sample(text, 'lead_scoring_requests_total{route="/invocations",status="400"}')).toBe(1);
  });

  it('labels the Runtime API path by its template and unknown paths "other", never by the raw path', async () => {
    const text = await scrape();

    expect(sample(text, 'lead_scoring_requests_total{route="/endpoints/{name}/invocations",status="200"}')).toBe(1);
    expect(sample(text, 'lead_scoring_requests_total{route="other",status="404"}')).toBe(1);
    expect(text).not.toContain('my-endpoint');
    expect(text).not.toContain('/no/such/path');
  });

  it('counts its own scrapes under route="/metrics"', async () => {
    await scrape();

    expect(sample(await scrape(), 'lead_scoring_requests_total{route="/metrics",status="200"}')).toBeGreaterThanOrEqual(
      1,
    );
  });

  it('records request latency in ms buckets from le="1" to le="1000", per route', async () => {
    const text = await scrape();

    for (const le of ['1', '5', '10', '50', '100', '500', '1000', '+Inf']) {
      expect(sample(text, `lead_scoring_request_latency_ms_bucket{le="${le}",route="/invocations"}`)).toEqual(
        expect.any(Number),
      );
    }
    expect(sample(text, 'lead_scoring_request_latency_ms_count{route="/invocations"}')).toBe(2);
  });

  it('records the rows and the model time of each successful batch only', async () => {
    const text = await scrape();

    expect(sample(text, 'lead_scoring_batch_size_count')).toBe(2);
    expect(sample(text, 'lead_scoring_batch_size_sum')).toBe(7);
    expect(sample(text, 'lead_scoring_batch_size_bucket{le="5"}')).toBe(2);
    expect(sample(text, 'lead_scoring_model_latency_ms_count')).toBe(2);
    expect(sample(text, 'lead_scoring_model_latency_ms_bucket{le="1000"}')).toBe(2);
  });

  it('exports no score, probability, circuit, lake or drift series, which the model server does not have', async () => {
    const text = await scrape();

    for (const absent of [
      'scores_total',
      'predicted_probability',
      'scorer_fallbacks',
      'circuit_open',
      'lake_',
      'psi',
      'drift_',
    ]) {
      expect(text).not.toContain(`lead_scoring_${absent}`);
    }
  });

  it('includes the Node process metrics', async () => {
    expect(await scrape()).toContain('lead_scoring_nodejs_eventloop_lag_seconds');
  });

  it('answers 405 with the JSON error body to a method other than GET', async () => {
    const res = await fetch(`${server.url}/metrics`, { method: 'POST' });

    expect(res.status).toBe(405);
    expect(await res.json()).toMatchObject({ error: { code: 'METHOD_NOT_ALLOWED', message: expect.any(String) } });
  });
});

describe('model server: METRICS=off', () => {
  it('answers GET /metrics 404 with the JSON error body and keeps scoring', async () => {
    const res = await fetch(`${off.url}/metrics`);
    const scored = await post(off, '/invocations', toCsv(rows));

    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ error: { code: 'NOT_FOUND', message: expect.stringContaining('METRICS=off') } });
    expect(scored.status).toBe(200);
  });
});
