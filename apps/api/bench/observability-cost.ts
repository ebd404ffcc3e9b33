/**
 * Cost of observability on the local API (issue 7 target: throughput with lake + metrics on >= 90% of off).
 * Run: npx tsx --tsconfig tsconfig.base.json apps/api/bench/observability-cost.ts
 * Starts two servers (`npm start`, WORKERS=1 each): METRICS=off LAKE=off, and the defaults (Prometheus
 * metrics, drift window, Parquet lake in a temp dir). autocannon alternates between them, ROUNDS times
 * per body (1 lead and 50 leads per request), so load from other processes hits both alike; the
 * ratio of the summed throughputs is printed. BENCH_DURATION (s, default 8) and BENCH_ROUNDS (default 3).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { mulberry32, sampleLead } from '@lead-scoring/feature-schema/testing';

const ROOT = join(__dirname, '../../..');
const DURATION = Number(process.env['BENCH_DURATION'] ?? 8);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const body = (n: number): string => JSON.stringify(Array.from({ length: n }, (_, i) => sampleLead(mulberry32(i + 1))));

async function start(env: Record<string, string>): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
  const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), ['--tsconfig', 'tsconfig.base.json', 'apps/api/src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), WORKERS: '1', LOG_LEVEL: 'WARN' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 1500; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    if (await fetch(`${url}/ready`).then((r) => r.status === 200, () => false)) {
      return { url, stop: () => new Promise<void>((resolve) => { child.once('exit', () => resolve()); child.kill('SIGTERM'); }) };
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error('server not ready in time');
}

async function rps(url: string, payload: string): Promise<number> {
  const r = await autocannon({ url: `${url}/score`, method: 'POST', headers: { 'content-type': 'application/json' }, body: payload, connections: 16, duration: DURATION });
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`bench: ${r.non2xx} non-2xx and ${r.errors} errors`);
  return r.requests.average;
}

async function main(): Promise<void> {
  const lake = mkdtempSync(join(tmpdir(), 'obs-cost-'));
  const off = await start({ METRICS: 'off', LAKE: 'off' });
  const on = await start({ METRICS: 'on', LAKE: 'parquet', LAKE_DIR: lake });
  try {
    for (const [name, leads] of [['1 lead/request', 1], ['50 leads/request', 50]] as const) {
      const payload = body(leads);
      await rps(off.url, payload); // warm-up both: JIT, keep-alive sockets
      await rps(on.url, payload);
      let sumOff = 0;
      let sumOn = 0;
      for (let r = 0; r < ROUNDS; r++) {
        const a = await rps(off.url, payload);
        const b = await rps(on.url, payload);
        sumOff += a;
        sumOn += b;
        process.stdout.write(`  ${name} round ${r + 1}: off ${a.toFixed(0)} req/s, on ${b.toFixed(0)} req/s\n`);
      }
      const ratio = sumOn / sumOff;
      process.stdout.write(`${name}: on/off = ${(ratio * 100).toFixed(1)}% (${(sumOn / ROUNDS).toFixed(0)} vs ${(sumOff / ROUNDS).toFixed(0)} req/s, ${(sumOn / ROUNDS * leads).toFixed(0)} leads/s to the lake) target >= 90%: ${ratio >= 0.9 ? 'PASS' : 'FAIL'}\n`);
    }
  } finally {
    await Promise.all([off.stop(), on.stop()]);
    rmSync(lake, { recursive: true, force: true });
  }
}

void main().catch((err: unknown) => {
  process.stderr.write(`observability-cost: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
