/**
 * Where observability's CPU goes inside the server, from V8's sampling profiler instead of a difference
 * between two processes: on this shared 2-core machine two servers' CPU per request drift apart by ±10 %
 * between runs, while the share of one profile that lies in observability code does not depend on how fast
 * the machine was that minute.
 * Each server (`METRICS=off LAKE=off`, then the defaults) runs under `node --cpu-prof`, saturated by
 * autocannon for BENCH_DURATION s after a 3 s warm-up; only the samples taken during the measured load count
 * (the profile's clock is CLOCK_MONOTONIC, as `process.hrtime` is), plus, for the lake keeper thread, those until
 * the load ends (it publishes on its own LAKE_PUBLISH_MS schedule, so its conversion is priced by lake-cost.ts). Per request it prints the event loop's busy time, its garbage collection,
 * the self time of observability code (libs/metrics, lake and drift, and the API's wiring), its costliest functions, and
 * the lake keeper thread's busy time. Not seen here: what the hooks cost other code indirectly (cache misses),
 * which only the A/B benches (`npm run bench`, observability-cost.ts) can show, noise included.
 * Run: npx tsx --tsconfig tsconfig.base.json apps/api/bench/hook-profile.ts
 * The profiler samples a thread whether it is on a CPU or waiting for one, so the threads are not pinned: pinned
 * to one CPU, the event loop's samples would include the time the keeper thread (and the sampler) held it.
 * BENCH_DURATION (s, default 10), BENCH_LEADS (default 50), BENCH_INTERVAL (sampling interval, µs, default 250),
 * BENCH_ON (extra env of the "on" server).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exited } from '../test/support/child-server';
import { envAssignments, envCount } from './bench-env';
import { OBSERVABILITY_OFF, rowsBody, scoreLoad, spawnApi } from './bench-server';
import { waitForLakeDrain } from './lake-totals';

const DURATION = envCount('BENCH_DURATION', 10);
const LEADS = envCount('BENCH_LEADS', 50);
const INTERVAL = envCount('BENCH_INTERVAL', 250);
const CONFIGS: Record<string, Record<string, string>> = { off: OBSERVABILITY_OFF, on: envAssignments('BENCH_ON') };
const OBSERVABILITY_CODE = /\/libs\/(metrics|lake|drift)\/|\/apps\/api\/src\/(server|lambda)-observability\.ts$|\/apps\/api\/src\/observability-common\.ts$/;

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string } }[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Microseconds of a profile's samples taken in [from, to] (µs, CLOCK_MONOTONIC), by sampled node. */
function samplesIn(p: CpuProfile, from: number, to: number): Map<number, number> {
  const out = new Map<number, number>();
  let t = p.startTime;
  for (let i = 0; i < p.samples.length; i++) {
    t += p.timeDeltas[i] ?? 0;
    const dt = p.timeDeltas[i + 1] ?? 0; // a sample stands for the time until the next one
    if (t >= from && t <= to) out.set(p.samples[i]!, (out.get(p.samples[i]!) ?? 0) + dt);
  }
  return out;
}

interface ThreadTime {
  busyUs: number;
  gcUs: number;
  obsUs: number;
  /** Self time of observability functions, µs, costliest first. */
  obsTop: [string, number][];
  /** Self time of all functions, µs, costliest first. */
  top: [string, number][];
  urls: Set<string>;
}

function threadTime(p: CpuProfile, from: number, to: number): ThreadTime {
  const byId = new Map(p.nodes.map((n) => [n.id, n.callFrame]));
  const out: ThreadTime = { busyUs: 0, gcUs: 0, obsUs: 0, obsTop: [], top: [], urls: new Set() };
  const obs = new Map<string, number>();
  const all = new Map<string, number>();
  for (const [id, us] of samplesIn(p, from, to)) {
    const f = byId.get(id)!;
    out.urls.add(f.url);
    if (f.functionName === '(idle)') continue;
    out.busyUs += us;
    if (f.functionName === '(garbage collector)') out.gcUs += us;
    const key = `${f.functionName || '(anonymous)'} ${f.url.slice(f.url.lastIndexOf('/') + 1)}`.trimEnd();
    all.set(key, (all.get(key) ?? 0) + us);
    if (OBSERVABILITY_CODE.test(f.url)) {
      out.obsUs += us;
      obs.set(key, (obs.get(key) ?? 0) + us);
    }
  }
  const costliest = (m: Map<string, number>): [string, number][] => [...m].sort((a, b) => b[1] - a[1]);
  out.obsTop = costliest(obs);
  out.top = costliest(all);
  return out;
}

interface Profiled {
  requests: number;
  main: ThreadTime;
  /** The lake keeper thread, when the server has one. */
  parquet: ThreadTime | null;
}

const nowUs = (): number => Number(process.hrtime.bigint() / 1000n);

/** One server of `env` under --cpu-prof, saturated for DURATION s: its threads' time during that load. */
async function measure(env: Record<string, string>, payload: string, lakeDir: string): Promise<Profiled> {
  const profDir = mkdtempSync(join(tmpdir(), 'hook-profile-'));
  const nodeArgs = ['--cpu-prof', `--cpu-prof-dir=${profDir}`, `--cpu-prof-interval=${INTERVAL}`];
  const { child, url } = await spawnApi({ nodeArgs, env: { ...env, LAKE_DIR: lakeDir }, stdout: 'ignore' }).catch((err: unknown) => {
    rmSync(profDir, { recursive: true, force: true });
    throw err;
  });
  try {
    const load = (duration: number) => scoreLoad(url, payload, { duration, connections: 16 });
    await load(3); // warm-up: JIT, heap sizing
    await waitForLakeDrain(url);
    const from = nowUs();
    const r = await load(DURATION);
    const to = nowUs();
    await waitForLakeDrain(url);
    const drained = nowUs();
    if (r.non2xx > 0 || r.errors > 0) throw new Error(`${r.non2xx} non-2xx and ${r.errors} errors`);
    child.kill('SIGTERM');
    await exited(child);
    // One file per thread: CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile, thread 0 being the event loop.
    const files = readdirSync(profDir).filter((f) => f.endsWith('.cpuprofile'));
    const read = (f: string): CpuProfile => JSON.parse(readFileSync(join(profDir, f), 'utf8')) as CpuProfile;
    const mainFile = files.find((f) => f.split('.')[4] === '0');
    if (!mainFile) throw new Error('no profile of the event loop was written');
    const parquet = files
      .filter((f) => f !== mainFile)
      .map((f) => threadTime(read(f), from, drained))
      .find((t) => [...t.urls].some((u) => u.endsWith('keeper-thread.ts')));
    return { requests: r.requests.total, main: threadTime(read(mainFile), from, to), parquet: parquet ?? null };
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(profDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const payload = rowsBody(LEADS);
  const lakeDir = mkdtempSync(join(tmpdir(), 'hook-profile-lake-'));
  const runs = new Map<string, Profiled>();
  try {
    for (const [name, env] of Object.entries(CONFIGS)) runs.set(name, await measure(env, payload, lakeDir));
  } finally {
    rmSync(lakeDir, { recursive: true, force: true });
  }
  const perReq = (us: number, p: Profiled): number => us / p.requests;
  const per = (us: number, p: Profiled): string => perReq(us, p).toFixed(1);
  process.stdout.write(`hook-profile: ${LEADS} lead(s) per request, saturated ${DURATION} s per server, sampling every ${INTERVAL} µs\n`);
  for (const [name, p] of runs) {
    const m = p.main;
    process.stdout.write(
      `  ${name.padEnd(3)} ${p.requests} requests; event loop busy ${per(m.busyUs, p)} µs/request (GC ${per(m.gcUs, p)}, observability code ${per(m.obsUs, p)} = ${((100 * m.obsUs) / m.busyUs).toFixed(1)} %)` +
        `${p.parquet ? `; lake keeper thread ${per(p.parquet.busyUs, p)} µs/request` : ''}\n`,
    );
    for (const [fn, us] of m.obsTop.slice(0, 10)) process.stdout.write(`        ${per(us, p).padStart(5)} µs  ${fn}\n`);
    if (p.parquet) process.stdout.write(`      lake keeper thread: ${p.parquet.top.slice(0, 8).map(([fn, us]) => `${fn} ${per(us, p)}`).join(', ')} µs\n`);
  }
  const off = runs.get('off')!;
  const on = runs.get('on')!;
  // What else grew: indirect costs, and this machine's drift between the two runs (it moves all functions alike).
  const offTop = new Map(off.main.top);
  const grew = on.main.top
    .map(([fn, us]): [string, number] => [fn, perReq(us, on) - perReq(offTop.get(fn) ?? 0, off)])
    .sort((a, b) => b[1] - a[1]);
  process.stdout.write(`  event loop, largest increases on vs off (µs/request): ${grew.slice(0, 8).map(([fn, d]) => `${fn} +${d.toFixed(1)}`).join(', ')}\n`);
  // On one core, "on" costs its event loop plus its lake keeper thread; without observability it would cost its event
  // loop minus the observability code and minus the GC it added over "off" (each per request, from the profiles).
  const extraGc = Math.max(0, perReq(on.main.gcUs, on) - perReq(off.main.gcUs, off));
  const onCost = perReq(on.main.busyUs, on) + (on.parquet ? perReq(on.parquet.busyUs, on) : 0);
  const withoutObs = perReq(on.main.busyUs, on) - perReq(on.main.obsUs, on) - extraGc;
  process.stdout.write(
    `  direct cost in "on": observability code ${perReq(on.main.obsUs, on).toFixed(1)} + extra GC ${extraGc.toFixed(1)} + lake keeper thread ${on.parquet ? perReq(on.parquet.busyUs, on).toFixed(1) : '0'} µs/request; ` +
      `CPU per request without it / with it: ${((100 * withoutObs) / onCost).toFixed(1)} % (indirect costs not included)\n`,
  );
}

void main().catch((err: unknown) => {
  process.stderr.write(`hook-profile: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
