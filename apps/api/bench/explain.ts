/**
 * Reason codes under load (`npx tsx apps/api/bench/explain.ts`; BENCH_DURATION seconds per run, default 10):
 * 1. the local server as `npm start` runs it (cluster, WORKERS=2) at a fixed 300 req/s of 50-lead
 *    requests with `?explain=3`: p50 / p99 (target p99 <= 25 ms);
 * 2. one worker (WORKERS=1): a 1-lead `?explain=3` request every 5 ms, alone and while 1,000-lead
 *    `?explain=3` requests follow each other back to back: how much the big ones raise its p99 (target <= 10 ms).
 * BENCH_SERVER_ENV=KEY=value,... adds server settings, e.g. METRICS=off,LAKE=off to leave observability out.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { envAssignments, envCount } from './bench-env';
import { ROOT, rowsBody } from './bench-server';
import { startCluster } from './cluster';

const DURATION = envCount('BENCH_DURATION', 10);
const SERVER_ENV = envAssignments('BENCH_SERVER_ENV');

export interface ExplainRow {
  metric: string;
  value: number;
  unit: string;
  target: string;
  pass: boolean | undefined;
}

/** POSTs `body` to `${url}/score?explain=3` on a keep-alive agent; resolves with the status and the latency in ms. */
function post(agent: Agent, url: string, body: string): Promise<{ status: number; ms: number }> {
  const { hostname, port } = new URL(url);
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path: '/score?explain=3', method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - start }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const percentile = (xs: readonly number[], p: number): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
};

/** 1-lead explain requests every 5 ms for `seconds`; their latencies. */
async function smallRequests(url: string, seconds: number): Promise<number[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const body = rowsBody(1);
  const latencies: number[] = [];
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    const r = await post(agent, url, body);
    if (r.status !== 200) throw new Error(`bench(explain): a 1-lead request got ${r.status}`);
    latencies.push(r.ms);
    await sleep(5);
  }
  agent.destroy();
  return latencies;
}

/**
 * 1,000-lead explain requests back to back for `seconds`, from autocannon in its own worker thread, so that
 * reading their 0.4 MB answers does not delay the 1-lead requests' own client.
 */
function bigRequests(url: string, seconds: number): Promise<autocannon.Result> {
  const options = {
    url: `${url}/score?explain=3`, method: 'POST', headers: { 'content-type': 'application/json' },
    body: rowsBody(1000), connections: 1, duration: seconds, workers: 1,
  };
  return autocannon(options);
}

/** Runs both measurements and returns their rows (with a temp lake directory, removed afterwards). */
export async function explainBench(): Promise<ExplainRow[]> {
  const lakeDir = mkdtempSync(join(tmpdir(), 'bench-explain-lake-'));
  const rows: ExplainRow[] = [];
  try {
    const cluster = await startCluster(ROOT, 2, { LAKE_DIR: lakeDir, ...SERVER_ENV });
    try {
      const load = (duration: number) =>
        autocannon({
          url: `${cluster.url}/score?explain=3`, method: 'POST', headers: { 'content-type': 'application/json' },
          body: rowsBody(50), connections: 10, duration, overallRate: 300,
        });
      await load(Math.max(2, DURATION / 2)); // warm-up: JIT, TreeSHAP tables, keep-alive sockets
      const fixed = await load(DURATION);
      if (fixed.non2xx > 0 || fixed.errors > 0) throw new Error(`bench(explain): ${fixed.non2xx} non-2xx and ${fixed.errors} errors at 300 req/s`);
      rows.push(
        { metric: '50-lead explain=3 at 300 req/s: p50', value: fixed.latency.p50, unit: 'ms', target: '', pass: undefined },
        { metric: '50-lead explain=3 at 300 req/s: p99', value: fixed.latency.p99, unit: 'ms', target: '<= 25', pass: fixed.latency.p99 <= 25 },
      );
    } finally {
      await cluster.stop();
    }

    const single = await startCluster(ROOT, 1, { LAKE_DIR: lakeDir, ...SERVER_ENV });
    try {
      await smallRequests(single.url, 1); // warm-up
      await bigRequests(single.url, 2);
      const alone = await smallRequests(single.url, DURATION / 2);
      const big = bigRequests(single.url, DURATION / 2 + 2);
      await sleep(1000); // the worker thread starts and its first requests are in flight
      const beside = await smallRequests(single.url, DURATION / 2);
      const bigRun = await big;
      if (bigRun.non2xx > 0 || bigRun.errors > 0) throw new Error(`bench(explain): ${bigRun.non2xx} non-2xx and ${bigRun.errors} errors on 1,000-lead requests`);
      const raise = percentile(beside, 0.99) - percentile(alone, 0.99);
      rows.push(
        { metric: '1-lead explain=3 p50 / p99, alone (WORKERS=1)', value: percentile(alone, 0.5), unit: `ms / ${percentile(alone, 0.99).toFixed(2)} ms`, target: '', pass: undefined },
        { metric: '1-lead explain=3 p50 / p99, beside 1,000-lead explain=3', value: percentile(beside, 0.5), unit: `ms / ${percentile(beside, 0.99).toFixed(2)} ms`, target: '', pass: undefined },
        { metric: '1-lead p99 raised by 1,000-lead explain requests', value: raise, unit: 'ms', target: '<= 10', pass: raise <= 10 },
        { metric: '1,000-lead explain=3 request p50 (WORKERS=1)', value: bigRun.latency.p50, unit: `ms (${bigRun.requests.total} requests)`, target: '', pass: undefined },
      );
    } finally {
      await single.stop();
    }
  } finally {
    rmSync(lakeDir, { recursive: true, force: true });
  }
  return rows;
}

function print(rows: readonly ExplainRow[]): void {
  const w = Math.max(...rows.map((r) => r.metric.length));
  process.stdout.write(`\n${'metric'.padEnd(w)} | ${'value'.padStart(26)} | target | ok\n${'-'.repeat(w + 45)}\n`);
  for (const r of rows) {
    const ok = r.pass === undefined ? '' : r.pass ? 'PASS' : 'MISS';
    process.stdout.write(`${r.metric.padEnd(w)} | ${`${r.value.toFixed(2)} ${r.unit}`.padStart(26)} | ${r.target.padEnd(6)} | ${ok}\n`);
  }
  process.stdout.write('\n');
}

if (require.main === module) {
  process.stdout.write(`bench(explain): ${DURATION}s runs; cluster WORKERS=2 at 300 req/s, then one worker beside 1,000-lead requests\n`);
  explainBench().then(print, (err: unknown) => {
    process.stderr.write(`bench(explain) failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  });
}
