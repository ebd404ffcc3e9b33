/**
 * Reason codes under load (area `api-explain`; `npx tsx apps/api/bench/explain.ts` alone):
 * 1. the local server as `npm start` runs it (cluster of 2 workers) at a fixed 300 req/s of 50-lead requests with
 *    `?explain=3`: p50 and p99 (SLO: p99 < 1 s);
 * 2. one worker (WORKERS=1): a 1-lead `?explain=3` request every 5 ms, alone and while 1,000-lead `?explain=3`
 *    requests follow each other back to back: how much the big ones raise its p99 (target <= 10 ms; a worker
 *    explains in slices of about 1 ms and serves other requests between them).
 * BENCH_DURATION: seconds per run (default 10). BENCH_SERVER_ENV=KEY=value,... adds server settings.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  atMost,
  below,
  envAssignments,
  envCount,
  percentile,
  postLoad,
  report,
  startApi,
  type Figure,
} from '@lead-scoring/bench';
import { rowsBody } from './support';

const DURATION = envCount('BENCH_DURATION', 10);
const SERVER_ENV = envAssignments('BENCH_SERVER_ENV');
const RATE = 300;
const SLO_P99_MS = 1000;
const RAISE_TARGET_MS = 10;

/** POSTs `body` to `${url}/score?explain=3` on a keep-alive agent; resolves with the status and the latency in ms. */
function post(agent: Agent, url: string, body: string): Promise<{ status: number; ms: number }> {
  const { hostname, port } = new URL(url);
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: hostname,
        port,
        path: '/score?explain=3',
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - start }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** 1-lead explain requests every 5 ms for `seconds`; their latencies, ascending. */
async function smallRequests(url: string, seconds: number): Promise<number[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const body = rowsBody(1);
  const latencies: number[] = [];
  const end = performance.now() + seconds * 1000;
  try {
    while (performance.now() < end) {
      const r = await post(agent, url, body);
      if (r.status !== 200) throw new Error(`a 1-lead explain request got ${r.status}`);
      latencies.push(r.ms);
      await sleep(5);
    }
  } finally {
    agent.destroy();
  }
  return latencies.sort((a, b) => a - b);
}

/** 1,000-lead explain requests back to back, from autocannon's own worker thread: reading their answers stays off this one. */
const bigRequests = (url: string, seconds: number) =>
  postLoad({ url: `${url}/score?explain=3`, body: rowsBody(1000), connections: 1, duration: seconds, workers: 1 });

/** Runs both measurements and returns their figures (with a temp lake directory, removed afterwards). */
export async function explainBench(): Promise<Figure[]> {
  process.stdout.write(
    `bench(api-explain): ${DURATION} s runs; cluster of 2 workers at ${RATE} req/s, then one worker beside 1,000-lead requests\n`,
  );
  const lakeDir = mkdtempSync(join(tmpdir(), 'bench-explain-lake-'));
  const figures: Figure[] = [];
  try {
    const cluster = await startApi({ LAKE_DIR: lakeDir, ...SERVER_ENV });
    try {
      const load = (duration: number) =>
        postLoad({ url: `${cluster.url}/score?explain=3`, body: rowsBody(50), connections: 10, duration, rate: RATE });
      await load(Math.max(2, DURATION / 2)); // JIT, TreeSHAP tables, keep-alive sockets
      const fixed = await load(DURATION);
      figures.push(
        { metric: `50-lead explain=3 requests at ${RATE} req/s: p50`, value: fixed.latency.p50, unit: 'ms' },
        below(
          { metric: `50-lead explain=3 requests at ${RATE} req/s: p99`, value: fixed.latency.p99, unit: 'ms' },
          SLO_P99_MS,
        ),
      );
    } finally {
      await cluster.stop();
    }

    const single = await startApi({ WORKERS: '1', LAKE_DIR: lakeDir, ...SERVER_ENV });
    try {
      await smallRequests(single.url, 1);
      await bigRequests(single.url, 2);
      const alone = await smallRequests(single.url, DURATION / 2);
      const big = bigRequests(single.url, DURATION / 2 + 2);
      await sleep(1000); // autocannon's thread is up and its first requests are in flight
      const beside = await smallRequests(single.url, DURATION / 2);
      const bigRun = await big;
      figures.push(
        { metric: '1-lead explain=3 p99, one worker, alone', value: percentile(alone, 0.99), unit: 'ms' },
        {
          metric: '1-lead explain=3 p99, beside 1,000-lead explain=3 requests',
          value: percentile(beside, 0.99),
          unit: 'ms',
        },
        atMost(
          {
            metric: '1-lead p99 raised by the 1,000-lead requests',
            value: percentile(beside, 0.99) - percentile(alone, 0.99),
            unit: 'ms',
          },
          RAISE_TARGET_MS,
        ),
        { metric: '1,000-lead explain=3 request p50, one worker', value: bigRun.latency.p50, unit: 'ms' },
      );
    } finally {
      await single.stop();
    }
  } finally {
    rmSync(lakeDir, { recursive: true, force: true });
  }
  return figures;
}

if (require.main === module) {
  explainBench().then(
    (figures) => void report('api-explain', figures),
    (err: unknown) => {
      process.stderr.write(`bench(api-explain) failed: ${(err as Error).stack ?? String(err)}\n`);
      process.exit(1);
    },
  );
}
