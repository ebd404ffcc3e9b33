/**
 * Cost of observability on the local API (target: throughput with lake + metrics on >= 90% of off).
 * Run: npx tsx --tsconfig tsconfig.base.json apps/api/bench/observability-cost.ts
 * Starts two servers (`npm start`, WORKERS=1 each): METRICS=off LAKE=off, and the defaults (Prometheus
 * metrics, drift window, Parquet lake in a temp dir). autocannon alternates between them, ROUNDS times
 * per body (1 lead and 50 leads per request) in ABBA order, so load from other processes hits both
 * alike; the ratio of the summed throughputs is printed. Because other processes on a shared machine
 * make req/s swing by 3x between runs, the verdict uses server CPU time per request (utime + stime from
 * /proc: the event loop's during the load, the other threads' until the lake has drained), which that noise
 * moves less: on a CPU-bound server
 * throughput(on) / throughput(off) = cpu/request(off) / cpu/request(on). The event-loop thread's share
 * is printed too, and the busiest other thread's (the lake keeper thread when the lake is on; the rest is GC helpers).
 * BENCH_PIN=1 runs the servers on CPU 0 and autocannon on CPU 1, so a server's helper threads compete
 * with its own event loop, as on a machine the server has to itself, instead of with the load generator.
 * BENCH_RATE=<req/s> loads both servers at once, each at that fixed rate, instead of saturating them in turn:
 * the machine's drift (other tenants, steal) then hits both in the same seconds, which makes this the least
 * noisy of the three ways to price observability here; the verdict is again CPU per request. Half the rounds
 * run with the servers started in the other order, and every other round launches the two loads in the other
 * order, so that whatever either order is worth cancels out.
 * Use a rate both sustain with room to spare (e.g. 1000 for 50 leads on 2 cores).
 * BENCH_DURATION (s, default 8), BENCH_ROUNDS (default 4), BENCH_ON / BENCH_OFF (extra env of either server,
 * e.g. BENCH_ON=LAKE=off to price the metrics alone; BENCH_ON=METRICS=off,LAKE=off checks the bench
 * itself: ~96% with both servers alike; with BENCH_RATE, `BENCH_OFF=METRICS=on,LAKE=off BENCH_ON=LAKE=off` read 98.0%),
 * BENCH_LEADS (default `1,50`).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { envAssignments, envCount, envCounts } from './bench-env';
import { OBSERVABILITY_OFF, ROOT, rowsBody, scoreLoad } from './bench-server';
import { lakeComplete, lakeTotals, waitForLakeDrain } from './lake-totals';
import { freePort } from '../test/support/child-server';

const DURATION = envCount('BENCH_DURATION', 8);
const ROUNDS = envCount('BENCH_ROUNDS', 4);
const PIN = process.env['BENCH_PIN'] === '1';
const RATE = process.env['BENCH_RATE'] === undefined ? null : envCount('BENCH_RATE', 1000);
// Read before any server starts: a bad value exits without leaving servers behind.
const SIZES = envCounts('BENCH_LEADS', [1, 50]);
const ON_ENV = envAssignments('BENCH_ON');
const OFF_ENV = envAssignments('BENCH_OFF');

interface Server {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** CPU seconds used so far by a process (all its threads) or one thread, from /proc/<pid>[/task/<tid>]/stat. */
function cpuSeconds(pid: number, tid?: number): number {
  const path = tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`;
  const fields = readFileSync(path, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function start(env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const cmd = [join(ROOT, 'node_modules/.bin/tsx'), '--tsconfig', 'tsconfig.base.json', 'apps/api/src/main.ts'];
  // BENCH_PIN=1: the server (all its threads) on CPU 0, this process and autocannon on CPU 1.
  const pinned = PIN ? ['taskset', '-c', '0', ...cmd] : cmd;
  const child = spawn(pinned[0]!, pinned.slice(1), {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), WORKERS: '1', LOG_LEVEL: 'INFO' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let pid = 0;
  child.stdout!.on('data', (c: Buffer) => {
    const m = /"message":"ready".*"pid":(\d+)/.exec(c.toString());
    if (m) pid = Number(m[1]);
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 1500; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    if (pid > 0 && (await fetch(`${url}/ready`).then((r) => r.status === 200, () => false))) {
      return { url, pid, stop: () => new Promise<void>((resolve) => { child.once('exit', () => resolve()); child.kill('SIGTERM'); }) };
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error('server not ready in time');
}

/** CPU seconds of every thread of a process, by thread id. */
function threadSeconds(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`).map(Number)) {
    try {
      out.set(tid, cpuSeconds(pid, tid));
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return out;
}

interface RunResult {
  rps: number;
  /** Server CPU per request, µs: all threads, the event-loop thread, and the busiest other thread (the lake keeper thread when the lake is on). */
  cpuUs: number;
  mainUs: number;
  otherUs: number;
  /** The event loop's CPU while settling (not in cpuUs). */
  settleUs: number;
}

/**
 * Returns once the server has finished the work a run left behind: at once with a lake (its spool is written
 * before each answer; the keeper publishes on its own LAKE_PUBLISH_MS schedule, priced by lake-cost.ts), else once
 * it used no CPU for 2.5 s.
 */
async function settle(server: Server): Promise<void> {
  if (await waitForLakeDrain(server.url)) return;
  const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
  for (let idleMs = 0, waited = 0; idleMs < 2500 && waited < 15_000; waited += 250) {
    const c0 = cpuSeconds(server.pid);
    await sleep(250);
    idleMs = cpuSeconds(server.pid) - c0 < 0.005 ? idleMs + 250 : 0;
  }
}

/**
 * Throughput (req/s) and server CPU per request (µs) of one autocannon run (saturating, or at `rate`): the event
 * loop's CPU during the load, and the other threads' until the lake work the run left behind is done. The event
 * loop's CPU while settling is reported apart (`settleUs`), not charged: it answers this bench's /metrics probes
 * (10-30 ms each after a round: the drift window's PSI snapshot) and runs its idle timers, which no request causes.
 */
async function run(server: Server, payload: string, rate: number | null = null): Promise<RunResult> {
  const threads0 = threadSeconds(server.pid);
  const main0 = threads0.get(server.pid) ?? 0;
  const others0 = cpuSeconds(server.pid) - main0;
  const r = await scoreLoad(server.url, payload, { connections: 16, duration: DURATION, ...(rate === null ? {} : { rate }) });
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`bench: ${r.non2xx} non-2xx and ${r.errors} errors`);
  const main = cpuSeconds(server.pid, server.pid) - main0;
  await settle(server); // the lake work this run left behind is charged to this run
  const mainAfter = cpuSeconds(server.pid, server.pid);
  const others = cpuSeconds(server.pid) - mainAfter - others0;
  const per = (s: number): number => (s * 1e6) / r.requests.total;
  let other = 0;
  for (const [tid, sec] of threadSeconds(server.pid)) if (tid !== server.pid) other = Math.max(other, sec - (threads0.get(tid) ?? 0));
  return { rps: r.requests.average, cpuUs: per(main + others), mainUs: per(main), otherUs: per(other), settleUs: per(mainAfter - main0 - main) };
}

/**
 * One saturating run of each server, in ABBA order across rounds: whichever server runs second in a round
 * measured up to ~10% slower with both servers configured alike, so each goes first in half the rounds.
 */
async function inTurn(round: number, off: Server, on: Server, payload: string): Promise<[RunResult, RunResult]> {
  const a = round % 2 === 0 ? await run(off, payload) : null;
  const b = await run(on, payload);
  return [a ?? (await run(off, payload)), b];
}

/**
 * One run of each server at the same fixed rate, at once. Both autocannon instances share this process's event
 * loop, and the one launched first sends first in every tick; the launch order alternates between rounds so that
 * whatever this is worth cannot favour either config (the start order is swapped for the same reason, in main).
 */
async function atOnce(round: number, off: Server, on: Server, payload: string, rate: number): Promise<[RunResult, RunResult]> {
  if (round % 2 === 0) return Promise.all([run(off, payload, rate), run(on, payload, rate)]);
  const [b, a] = await Promise.all([run(on, payload, rate), run(off, payload, rate)]);
  return [a, b];
}

/** The "on" figures only count if the lake kept up (skipped when the "on" server has its lake or metrics off). */
async function reportLake(url: string, lakeOn: boolean): Promise<void> {
  if (!lakeOn) return;
  const t = await lakeTotals(url);
  if (t === null) return;
  const ok = lakeComplete(t);
  process.stdout.write(`lake (on): ${t.written} records written of ${t.scored} leads scored, ${t.dropped} dropped: ${ok ? 'complete' : 'INCOMPLETE'}\n`);
  if (!ok) process.exitCode = 1;
}

interface Totals {
  rounds: number;
  offRps: number; onRps: number; offCpu: number; onCpu: number; offMain: number; onMain: number; offOther: number; onOther: number;
  ratios: number[];
}

/** `rounds` rounds of one request size on a pair of servers, added to `t`. */
async function measure(off: Server, on: Server, leads: number, rounds: number, t: Totals, note: string): Promise<void> {
  const name = `${leads} lead${leads > 1 ? 's' : ''}/request`;
  const payload = rowsBody(leads);
  await run(off, payload); // warm-up both: JIT, keep-alive sockets
  await run(on, payload);
  for (let r = 0; r < rounds; r++) {
    const [a, b] = RATE !== null ? await atOnce(r, off, on, payload, RATE) : await inTurn(r, off, on, payload);
    t.rounds++;
    t.ratios.push(a.cpuUs / b.cpuUs);
    t.offRps += a.rps; t.onRps += b.rps; t.offCpu += a.cpuUs; t.onCpu += b.cpuUs; t.offMain += a.mainUs; t.onMain += b.mainUs; t.offOther += a.otherUs; t.onOther += b.otherUs;
    const load = RATE === null ? (x: RunResult) => `${x.rps.toFixed(0)} req/s ` : () => '';
    process.stdout.write(
      `  ${name} round ${t.rounds}${note}: off ${load(a)}${a.cpuUs.toFixed(0)} µs CPU/req (event loop ${a.mainUs.toFixed(0)}, +${a.settleUs.toFixed(1)} settling), ` +
        `on ${load(b)}${b.cpuUs.toFixed(0)} µs CPU/req (event loop ${b.mainUs.toFixed(0)}, +${b.settleUs.toFixed(1)} settling; busiest other thread ${b.otherUs.toFixed(0)})\n`,
    );
  }
}

function summarize(leads: number, t: Totals): void {
  const n = t.rounds;
  const cpuRatio = t.offCpu / t.onCpu;
  const median = [...t.ratios].sort((x, y) => x - y)[n >> 1]!;
  process.stdout.write(
    `${leads} lead${leads > 1 ? 's' : ''}/request: ${RATE === null ? `throughput on/off ${((t.onRps / t.offRps) * 100).toFixed(1)}% (noisy)` : `both at ${RATE} req/s, each config in both slots`}, ` +
      `CPU/request off/on ${(cpuRatio * 100).toFixed(1)}% (median round ${(median * 100).toFixed(1)}%) ` +
      `(${(t.offCpu / n).toFixed(0)} vs ${(t.onCpu / n).toFixed(0)} µs; event loop thread ${(t.offMain / n).toFixed(0)} vs ${(t.onMain / n).toFixed(0)} µs; ` +
      `busiest other thread ${(t.offOther / n).toFixed(0)} vs ${(t.onOther / n).toFixed(0)} µs; ${leads} leads/request) target >= 90%: ${cpuRatio >= 0.9 ? 'PASS' : 'FAIL'}\n`,
  );
}

async function main(): Promise<void> {
  if (PIN) execFileSync('taskset', ['-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
  const lake = mkdtempSync(join(tmpdir(), 'obs-cost-'));
  const offEnv = { ...OBSERVABILITY_OFF, LAKE_DIR: lake, ...OFF_ENV };
  const onEnv = { METRICS: 'on', LAKE: 'parquet', LAKE_DIR: lake, ...ON_ENV };
  // Loaded at once and configured alike, the server started first read 4% cheaper per request than the
  // second in one A/A run: with BENCH_RATE the second half of the rounds swaps the start order.
  const orders = RATE === null ? [false] : [false, true];
  const totals = new Map(SIZES.map((n) => [n, { rounds: 0, offRps: 0, onRps: 0, offCpu: 0, onCpu: 0, offMain: 0, onMain: 0, offOther: 0, onOther: 0, ratios: [] } as Totals]));
  try {
    for (const onFirst of orders) {
      const first = await start(onFirst ? onEnv : offEnv);
      const second = await start(onFirst ? offEnv : onEnv).catch(async (err: unknown) => {
        await first.stop();
        throw err;
      });
      const [off, on] = onFirst ? [second, first] : [first, second];
      try {
        const note = RATE === null ? '' : `, both at ${RATE} req/s, ${onFirst ? 'on' : 'off'} started first`;
        for (const leads of SIZES) await measure(off, on, leads, Math.max(1, Math.round(ROUNDS / orders.length)), totals.get(leads)!, note);
        await reportLake(on.url, onEnv.LAKE !== 'off');
      } finally {
        await Promise.all([off.stop(), on.stop()]);
      }
    }
    for (const [leads, t] of totals) summarize(leads, t);
  } finally {
    rmSync(lake, { recursive: true, force: true });
  }
}

void main().catch((err: unknown) => {
  process.stderr.write(`observability-cost: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
