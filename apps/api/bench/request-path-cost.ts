/**
 * Observability's cost on the serving thread alone, without HTTP: apps of `createApp` in one process
 * (observability off, metrics only, lake only, both) answer the same score request, the hooks running as the
 * HTTP adapter runs them (`api.notify` after the response). The apps take turns in short slices (order reversed
 * every other slice) and the figure per app is the median over slices, with the median of its per-slice
 * difference to the first app, so machine drift hits all apps alike.
 * A slice is groups of BENCH_GROUP requests (default 4), each group followed by one event-loop turn; a group's
 * wall time counts. The lake's spool write runs inside each request (before its answer), so it is included; the
 * keeper thread's conversion is not: lake-cost.ts prices it.
 * BENCH_COLD=1 runs a cache polluter before every group, outside the timed window: it streams over 8 MiB and
 * runs JSON, zlib, hashing and regex code, as the other processes do that share a 2-core machine with a busy
 * server between its turns. Warm, the hooks' code and data stay in cache from one request to the next; cold,
 * every group starts with them evicted, which is what a loaded server sees.
 * Run: npx tsx --tsconfig tsconfig.base.json apps/api/bench/request-path-cost.ts [leads per request, default 1]
 * (BENCH_APPS=off,lake: only those apps, the first being the baseline; BENCH_SLICES, default 60).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { Logger } from '@aws-lambda-powertools/logger';
import type { ApiRequest } from '@lead-scoring/score-api';
import { createApp, type App } from '../src/app';
import { loadModelBundle } from '../src/model-source';
import { loadConfig } from '../src/config';
import { createServerObservability } from '../src/server-observability';
import { envCount, envFlag, fail } from './bench-env';
import { OBSERVABILITY_OFF, rowsBody } from './bench-server';

const CONFIGS: Record<string, Record<string, string>> = {
  off: OBSERVABILITY_OFF,
  metrics: { METRICS: 'on', LAKE: 'off' },
  lake: { METRICS: 'off', LAKE: 'parquet' },
  on: { METRICS: 'on', LAKE: 'parquet' },
};
const GROUP = envCount('BENCH_GROUP', 4);
const SLICES = envCount('BENCH_SLICES', 60);
const SLICE = GROUP * Math.max(1, Math.round(96 / GROUP));
const COLD = envFlag('BENCH_COLD');
const APPS = (process.env['BENCH_APPS'] ?? 'off,metrics,lake,on').split(',');

/** Evicts caches and trains the branch predictors on other code; returns a value so nothing is optimised away. */
function makePolluter(): () => number {
  const junk = new Uint8Array(8 << 20);
  const doc = JSON.stringify(Array.from({ length: 2000 }, (_, i) => ({ id: `x${i}`, v: [i, i * 2, { a: i }] })));
  const blob = Buffer.from(doc);
  return () => {
    for (let i = 0; i < junk.length; i += 64) junk[i]!++;
    const parsed = JSON.parse(doc) as unknown[];
    return junk[0]! + parsed.length + deflateSync(blob).length + createHash('sha256').update(blob).digest()[0]! + doc.replace(/x(\d)/g, 'y$1').length;
  };
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

async function main(): Promise<void> {
  const leads = Number(process.argv[2] ?? 1);
  if (!Number.isInteger(leads) || leads < 1) fail(`leads per request must be a positive whole number (got "${process.argv[2]}")`);
  const unknown = APPS.filter((a) => !(a in CONFIGS));
  if (unknown.length > 0) fail(`BENCH_APPS: unknown app(s) ${unknown.join(', ')} (known: ${Object.keys(CONFIGS).join(', ')})`);
  const body = Buffer.from(rowsBody(leads));
  const logger = new Logger({ logLevel: 'WARN' });
  const cfg = loadConfig({ PORT: '0', LOG_LEVEL: 'WARN' });
  const lake = mkdtempSync(join(tmpdir(), 'request-path-'));
  const bundle = await loadModelBundle(cfg.model);
  const apps = APPS.map((name): [string, App] => [
    name,
    createApp(cfg, { bundle, logger, hooks: createServerObservability({ logger, bundle, env: { ...CONFIGS[name]!, LAKE_DIR: lake } }) }),
  ]);
  const req: ApiRequest = { method: 'POST', path: '/score', query: undefined, headers: { 'content-type': 'application/json' }, body };
  const pollute = COLD ? makePolluter() : () => 0;
  let keep = 0;
  const slice = async (a: App, n: number): Promise<number> => {
    let us = 0;
    for (let i = 0; i < n; i += GROUP) {
      keep += pollute();
      const t0 = performance.now();
      for (let k = 0; k < GROUP; k++) a.api.notify(await a.api.handleRequest(req));
      await new Promise((r) => setImmediate(r));
      us += (performance.now() - t0) * 1000;
    }
    return us / n;
  };
  for (const [, a] of apps) await slice(a, 5 * SLICE); // warm-up: JIT
  const perSlice = new Map<string, number[]>(APPS.map((name) => [name, []]));
  for (let s = 0; s < SLICES; s++) {
    for (const [name, a] of s % 2 === 0 ? apps : [...apps].reverse()) perSlice.get(name)!.push(await slice(a, SLICE));
  }
  const base = perSlice.get(APPS[0]!)!;
  process.stdout.write(`${leads} lead(s)/request, ${COLD ? 'cold (polluted before every group)' : 'warm'}, groups of ${GROUP}, ${SLICES} slices of ${SLICE} requests per app\n`);
  for (const [name, us] of perSlice) {
    const diff = median(us.map((v, i) => v - base[i]!));
    process.stdout.write(`  ${name.padEnd(8)} ${median(us).toFixed(1)} µs/request wall on the serving thread; vs ${APPS[0]}: ${diff >= 0 ? '+' : ''}${diff.toFixed(1)} µs (median of per-slice differences)\n`);
  }
  rmSync(lake, { recursive: true, force: true });
  if (keep === -1) process.stdout.write('\n');
  process.exit(0);
}

void main().catch((err: unknown) => {
  process.stderr.write(`request-path-cost: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
