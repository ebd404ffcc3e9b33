/**
 * Observability's cost on the request path alone, without HTTP: four apps of `createApp` in one process
 * (observability off, metrics only, lake only, both) answer the same score request in turn, the
 * observability hooks run as the HTTP adapter runs them (`api.notify` after the response). Process CPU
 * includes the Parquet worker thread. Alternating apps in one process keeps machine noise out of the
 * comparison, but process-wide effects (GC, caches) are shared by all four: see observability-cost.ts.
 * Run: npx tsx --tsconfig tsconfig.base.json apps/api/bench/request-path-cost.ts [leads per request, default 1]
 * (BENCH_APPS=off,lake: only those apps, e.g. under --cpu-prof).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { mulberry32, sampleLead } from '@lead-scoring/feature-schema/testing';
import type { ApiRequest } from '@lead-scoring/score-api';
import { createApp, type App } from '../src/app';
import { loadConfig } from '../src/config';
import { createServerObservability } from '../src/observability-wiring';

const ROUNDS = 3;

async function main(): Promise<void> {
  const leads = Number(process.argv[2] ?? 1);
  const body = Buffer.from(JSON.stringify(Array.from({ length: leads }, (_, i) => sampleLead(mulberry32(i + 1)))));
  const logger = new Logger({ logLevel: 'WARN' });
  const cfg = loadConfig({ PORT: '0', LOG_LEVEL: 'WARN' });
  const lake = mkdtempSync(join(tmpdir(), 'request-path-'));
  const app = (env: Record<string, string>): App =>
    createApp(cfg, { logger, hooks: createServerObservability({ logger, env: { ...env, LAKE_DIR: lake } }) });
  const all: Record<string, Record<string, string>> = {
    off: { METRICS: 'off', LAKE: 'off' },
    metrics: { METRICS: 'on', LAKE: 'off' },
    lake: { METRICS: 'off', LAKE: 'parquet' },
    on: { METRICS: 'on', LAKE: 'parquet' },
  };
  const only = (process.env['BENCH_APPS'] ?? 'off,metrics,lake,on').split(',');
  const apps = Object.fromEntries(Object.entries(all).filter(([k]) => only.includes(k)).map(([k, env]) => [k, app(env)]));
  for (const a of Object.values(apps)) await a.scorer;
  const req: ApiRequest = { method: 'POST', path: '/score', query: undefined, headers: { 'content-type': 'application/json' }, body };
  const run = async (a: App, n: number): Promise<{ wall: number; cpu: number }> => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const res = await a.api.handleRequest(req);
      a.api.notify(res);
      if (i % 100 === 0) await new Promise((r) => setImmediate(r)); // let timers and the worker's replies run
    }
    const c = process.cpuUsage(c0);
    return { wall: ((performance.now() - t0) * 1000) / n, cpu: (c.user + c.system) / n };
  };
  const n = leads === 1 ? 100_000 : Math.max(2_000, Math.round(500_000 / leads));
  for (const a of Object.values(apps)) await run(a, n / 5); // warm-up
  const sums: Record<string, { wall: number; cpu: number }> = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, a] of Object.entries(apps)) {
      const r = await run(a, n);
      const s = (sums[name] ??= { wall: 0, cpu: 0 });
      s.wall += r.wall / ROUNDS;
      s.cpu += r.cpu / ROUNDS;
    }
  }
  for (const [name, v] of Object.entries(sums)) {
    process.stdout.write(`${leads} lead(s)/request ${name.padEnd(8)} wall ${v.wall.toFixed(2)} µs/request, process CPU ${v.cpu.toFixed(2)} µs/request\n`);
  }
  rmSync(lake, { recursive: true, force: true });
  process.exit(0);
}

void main().catch((err: unknown) => {
  process.stderr.write(`request-path-cost: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
