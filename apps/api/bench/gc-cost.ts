/**
 * Garbage collection on the serving thread with observability off and on: two single-process servers
 * (`METRICS=off LAKE=off`, and the defaults), each run in turn under `node --trace-gc --trace-gc-nvp`
 * and loaded at a fixed rate by autocannon; V8's per-GC lines during the load give the scavenges (count,
 * mean pause, bytes promoted to the old generation each) and the mark-compacts of the event loop's isolate; the
 * other isolates' (the lake keeper thread's, tsx's loader's) are summed apart. Whatever the serving path
 * keeps alive across scavenges (e.g. a lake buffer holding each request's strings until its flush) shows
 * up as bytes promoted and longer scavenges.
 * Run: npx tsx --tsconfig tsconfig.base.json apps/api/bench/gc-cost.ts
 * BENCH_RATE (req/s, default 500), BENCH_DURATION (s, default 10), BENCH_ROUNDS (default 2; the configs
 * alternate), BENCH_IDS=1 (50 named-feature leads with CRM lead ids, as a CRM sends them; default 50
 * unnamed rows without ids, as `npm run bench` sends them), BENCH_ON (extra env of the "on" server, e.g.
 * `BENCH_ON=LAKE=off` for the metrics alone).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoFeatures } from '@lead-scoring/model-bundle/testing';
import { mulberry32, sampleLead } from '@lead-scoring/feature-schema/testing';
import { exited } from '../test/support/child-server';
import { envAssignments, envCount, envFlag } from './bench-env';
import { OBSERVABILITY_OFF, rowsBody, scoreLoad, spawnApi } from './bench-server';

const RATE = envCount('BENCH_RATE', 500);
const DURATION = envCount('BENCH_DURATION', 10);
const ROUNDS = envCount('BENCH_ROUNDS', 2);
const IDS = envFlag('BENCH_IDS');
const CONFIGS: Record<string, Record<string, string>> = { off: OBSERVABILITY_OFF, on: envAssignments('BENCH_ON') };
const ISOLATE = /^\[\d+:(0x[\da-f]+)\]/;
const PAUSE = /\bpause=([\d.]+)/;
const PROMOTED = /\bpromoted=(\d+)/;

function body(): string {
  if (!IDS) return rowsBody(50);
  const rows = Array.from({ length: 50 }, (_, i) => sampleLead(demoFeatures(), mulberry32(i + 1)) as unknown as (number | null)[]);
  const leads = rows.map((row, i) => ({
    lead_id: `crm-00Q5e0000${String(100_000 + i)}`,
    features: Object.fromEntries(demoFeatures().map((s) => s.name).map((name, k) => [name, row[k] ?? null])),
  }));
  return JSON.stringify({ leads });
}

interface GcTotals {
  requests: number;
  /** GC pauses of the process's other isolates (worker threads), ms. */
  otherMs?: number;
  scavenges: number;
  scavengeMs: number;
  promotedBytes: number;
  markCompacts: number;
  markCompactMs: number;
}

/** One server of `env` under --trace-gc-nvp: its GC lines while autocannon loads it at RATE for DURATION s. */
async function measure(env: Record<string, string>, payload: string, lakeDir: string): Promise<GcTotals> {
  const { child, url } = await spawnApi({ nodeArgs: ['--trace-gc', '--trace-gc-nvp'], env: { ...env, LAKE_DIR: lakeDir }, stdout: 'pipe' });
  let counting = false;
  // Every isolate of the process traces to the same stdout (the lake keeper thread's, tsx's loader's), each line
  // tagged with its isolate: totals per isolate, the event loop's being the one that allocates the most.
  const byIsolate = new Map<string, GcTotals>();
  let partial = '';
  child.stdout!.on('data', (c: Buffer) => {
    const lines = (partial + c.toString()).split('\n');
    partial = lines.pop()!;
    if (!counting) return;
    for (const line of lines) {
      const isolate = ISOLATE.exec(line)?.[1];
      if (isolate === undefined) continue;
      let t = byIsolate.get(isolate);
      if (!t) byIsolate.set(isolate, (t = { requests: 0, scavenges: 0, scavengeMs: 0, promotedBytes: 0, markCompacts: 0, markCompactMs: 0 }));
      const field = (re: RegExp): number => Number(re.exec(line)?.[1] ?? 0);
      if (/\bgc=s\b/.test(line)) {
        t.scavenges++;
        t.scavengeMs += field(PAUSE);
        t.promotedBytes += field(PROMOTED);
      } else if (/\bgc=mc\b/.test(line)) {
        t.markCompacts++;
        t.markCompactMs += field(PAUSE);
      }
    }
  });
  try {
    const load = (duration: number) => scoreLoad(url, payload, { duration, connections: 8, rate: RATE });
    await load(3); // warm-up: JIT, heap sizing
    counting = true;
    const r = await load(DURATION);
    counting = false;
    if (r.non2xx > 0 || r.errors > 0) throw new Error(`gc-cost: ${r.non2xx} non-2xx and ${r.errors} errors`);
    const [main, ...others] = [...byIsolate.values()].sort((a, b) => b.scavenges - a.scavenges);
    if (!main) throw new Error('gc-cost: no GC lines from the server (is --trace-gc-nvp supported?)');
    const otherMs = others.reduce((a, x) => a + x.scavengeMs + x.markCompactMs, 0);
    return { ...main, requests: r.requests.total, otherMs };
  } finally {
    child.kill('SIGTERM');
    await exited(child);
  }
}

async function main(): Promise<void> {
  const payload = body();
  const lakeDir = mkdtempSync(join(tmpdir(), 'gc-cost-'));
  const sums = new Map<string, GcTotals[]>(Object.keys(CONFIGS).map((k) => [k, []]));
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const names = round % 2 === 0 ? Object.keys(CONFIGS) : Object.keys(CONFIGS).reverse();
      for (const name of names) sums.get(name)!.push(await measure(CONFIGS[name]!, payload, lakeDir));
    }
  } finally {
    rmSync(lakeDir, { recursive: true, force: true });
  }
  process.stdout.write(`gc-cost: ${IDS ? '50 named leads with lead ids' : '50 unnamed rows'} per request, ${RATE} req/s, ${ROUNDS} x ${DURATION} s per config\n`);
  for (const [name, runs] of sums) {
    const s = runs.reduce((a, x) => ({
      requests: a.requests + x.requests, scavenges: a.scavenges + x.scavenges, scavengeMs: a.scavengeMs + x.scavengeMs,
      promotedBytes: a.promotedBytes + x.promotedBytes, markCompacts: a.markCompacts + x.markCompacts, markCompactMs: a.markCompactMs + x.markCompactMs,
      otherMs: (a.otherMs ?? 0) + (x.otherMs ?? 0),
    }));
    const perReqUs = ((s.scavengeMs + s.markCompactMs) * 1000) / s.requests;
    process.stdout.write(
      `  ${name.padEnd(4)} scavenges ${s.scavenges} (mean pause ${(s.scavengeMs / s.scavenges).toFixed(2)} ms, promoted ${(s.promotedBytes / s.scavenges / 1024).toFixed(1)} KiB each), ` +
        `mark-compacts ${s.markCompacts} (${s.markCompactMs.toFixed(0)} ms); event-loop GC pauses ${perReqUs.toFixed(1)} µs per request over ${s.requests} requests; ` +
        `other threads' GC ${(((s.otherMs ?? 0) * 1000) / s.requests).toFixed(1)} µs per request\n`,
    );
  }
}

void main().catch((err: unknown) => {
  process.stderr.write(`gc-cost: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
