/**
 * What the local lake costs, the simple way: `npm start`'s server (the cluster primary and 2 workers, each worker
 * on its own spool, the primary's keeper thread publishing) at a fixed 300 req/s of 50-lead and of 1-lead requests,
 * every lead random (no two bodies alike, so ZSTD cannot feed on repeats), for BENCH_DURATION s (default 20), then
 * SIGTERM (the primary publishes what the spools hold, as at any stop). Prints, next to each target:
 *   - spool CPU per lead: the request path's time writing frames (`lead_scoring_lake_spool_write_seconds_total`,
 *     wall time of a synchronous write, which is CPU unless the thread is preempted) over the leads spooled;
 *   - conversion CPU per lead: the primary's CPU (its keeper thread publishing, its event loop) from the load's start
 *     to its exit, less its idle rate measured before the load, over the leads published;
 *   - lake bytes per lead: the Parquet files under LAKE_DIR/scores after the stop, over the leads answered 200;
 *   - disk write rate: bytes the server's processes had the kernel write (/proc/<pid>/io write_bytes), per second.
 * Not in the spool figure: the workers' fdatasync rounds (one every LAKE_SYNC_MS, in libuv's thread pool). The
 * server's spool figure is wall time; the same appends are also timed with process.cpuUsage in this process.
 * Run: npx tsx --tsconfig tsconfig.base.json apps/api/bench/lake-cost.ts (BENCH_DURATION, BENCH_LEADS=50,1).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { mulberry32, sampleLead } from '@lead-scoring/feature-schema/testing';
import { SpoolWriter } from '@lead-scoring/lake';
import { LakeKeeper } from '@lead-scoring/lake/keeper';
import { demoFeatures } from '@lead-scoring/model-bundle/testing';
import { freePort, waitReady } from '../test/support/child-server';
import { envCount, envCounts } from './bench-env';
import { ROOT } from './bench-server';
import { sumSeries } from './lake-totals';

const DURATION = envCount('BENCH_DURATION', 20);
const SIZES = envCounts('BENCH_LEADS', [50, 1]);
const RATE = 300;
const TARGET_CPU_US = 10;
const TARGET_BYTES = 120;

/** utime + stime of a process (all its threads), seconds; null once it is gone. */
function cpuSeconds(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** Bytes a process had written to storage so far (/proc/<pid>/io write_bytes); null once it is gone. */
function writeBytes(pid: number): number | null {
  try {
    return Number(/write_bytes: (\d+)/.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1] ?? 0);
  } catch {
    return null;
  }
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function parquetBytes(dir: string): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.name.endsWith('.parquet')) {
        bytes += statSync(join(d, e.name)).size;
        files++;
      }
    }
  };
  walk(join(dir, 'scores'));
  return { bytes, files };
}

/** A fresh body of `n` random leads per request (a running generator: no two alike). */
function bodies(n: number): () => string {
  const specs = demoFeatures();
  const rng = mulberry32(20_260_101 + n);
  return () => JSON.stringify(Array.from({ length: n }, () => sampleLead(specs, rng)));
}

async function run(leads: number): Promise<void> {
  const lake = mkdtempSync(join(tmpdir(), 'lake-cost-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // What `npm start` runs (tsx's loader in node), so the primary is this child and the workers are its children.
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'apps/api/src/main.ts'], {
    cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.base.json'), PORT: String(port), WORKERS: '2', LOG_LEVEL: 'WARN', LAKE_DIR: lake },
  });
  try {
    await waitReady(url, child, 120_000);
    await new Promise((r) => setTimeout(r, 2_000)); // the second worker warms up too
    const primary = child.pid!;
    const idle0 = cpuSeconds(primary)!;
    await new Promise((r) => setTimeout(r, 3_000));
    const idleRate = (cpuSeconds(primary)! - idle0) / 3;
    const pids = [primary, ...childrenOf(primary)];
    const lastCpu = new Map<number, number>();
    const lastIo = new Map<number, number>();
    const io0 = new Map(pids.map((p) => [p, writeBytes(p) ?? 0]));
    const poll = (): void => {
      for (const p of pids) {
        const c = cpuSeconds(p);
        const w = writeBytes(p);
        if (c !== null) lastCpu.set(p, c);
        if (w !== null) lastIo.set(p, w);
      }
    };
    const cpu0 = cpuSeconds(primary)!;
    const t0 = performance.now();
    const next = bodies(leads);
    const r = await autocannon({
      url: `${url}/score`, method: 'POST', headers: { 'content-type': 'application/json' }, connections: 8, duration: DURATION, overallRate: RATE,
      setupClient: (client) => {
        client.setBody(next());
        client.on('response', () => client.setBody(next()));
      },
    });
    const metrics = await (await fetch(`${url}/metrics`)).text();
    const spooled = sumSeries(metrics, 'lead_scoring_lake_spooled_leads_total');
    const scored = sumSeries(metrics, 'lead_scoring_scores_total{');
    const spoolSeconds = sumSeries(metrics, 'lead_scoring_lake_spool_write_seconds_total');
    const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const poller = setInterval(poll, 10);
    poll();
    child.kill('SIGTERM');
    await exit;
    clearInterval(poller);
    const elapsed = (performance.now() - t0) / 1000;
    const convertCpu = (lastCpu.get(primary)! - cpu0) - idleRate * elapsed;
    const written = pids.reduce((s, p) => s + (lastIo.get(p) ?? 0) - (io0.get(p) ?? 0), 0);
    const ok = r.non2xx === 0 && r.errors === 0;
    const answered = r.requests.total * leads;
    const lakeFiles = parquetBytes(lake);
    const spoolUs = (spoolSeconds / spooled) * 1e6;
    const convertUs = (convertCpu / spooled) * 1e6;
    const line = (what: string, figure: string, target: string, pass?: boolean): void => {
      process.stdout.write(`  ${what.padEnd(44)} ${figure.padStart(14)}   target ${target}${pass === undefined ? '' : pass ? '  PASS' : '  FAIL'}\n`);
    };
    process.stdout.write(`${leads} lead(s)/request at ${RATE} req/s for ${DURATION} s: ${r.requests.total} requests answered${ok ? '' : ` (${r.non2xx} non-2xx, ${r.errors} errors)`}, ${spooled} leads spooled, ${lakeFiles.files} lake file(s)\n`);
    line('spool, request path CPU per lead', `${spoolUs.toFixed(2)} µs`, '');
    line('conversion (keeper) CPU per lead', `${convertUs.toFixed(2)} µs`, '');
    line('spool + conversion CPU per lead', `${(spoolUs + convertUs).toFixed(2)} µs`, `<= ${TARGET_CPU_US} µs`, spoolUs + convertUs <= TARGET_CPU_US);
    line('lake bytes per lead (Parquet on disk)', `${(lakeFiles.bytes / answered).toFixed(1)} B`, `<= ${TARGET_BYTES} B`, lakeFiles.bytes / answered <= TARGET_BYTES);
    line('disk write rate (spool + lake, all processes)', `${(written / elapsed / 1e6).toFixed(2)} MB/s`, '');
    line('  of which per lead', `${(written / spooled).toFixed(0)} B`, '');
    line('leads spooled / scored', `${spooled} / ${scored}`, 'all', spooled === scored);
    const inProcess = spoolCpuInProcess(leads);
    line('spool CPU per lead, same frames in one process', `${inProcess.toFixed(2)} µs`, '');
    const convert = await conversionCpuInProcess(leads);
    line('conversion CPU per lead, same frames in one process', `${convert.toFixed(2)} µs`, '');
    line('spool + conversion, in one process (steady state)', `${(inProcess + convert).toFixed(2)} µs`, `<= ${TARGET_CPU_US} µs`, inProcess + convert <= TARGET_CPU_US);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(lake, { recursive: true, force: true });
  }
}

/** `count` spool requests of `leads` random leads each, as the API's record hook hands them over. */
function spoolRequests(leads: number, count: number) {
  const specs = demoFeatures();
  const width = specs.length;
  const rng = mulberry32(7);
  return Array.from({ length: count }, (_, k) => {
    const x = new Float32Array(leads * width);
    for (let i = 0; i < leads; i++) sampleLead(specs, rng).forEach((v, f) => (x[i * width + f] = v ?? NaN));
    return {
      requestId: randomUUID(), route: '/score', status: 200, latencyMs: 3.5 + k / 1000, modelMs: 1, degraded: false, ts: Date.now(),
      model: { name: 'lead-scoring-demo', version: '1.0.0' }, x, nRows: leads, leadIds: undefined,
      results: Array.from({ length: leads }, () => ({ score: 3, probabilities: [0.1, 0.2, 0.4, 0.2, 0.1] })),
    };
  });
}

/**
 * The keeper's conversion of spooled leads into a lake file, measured directly in this process (process.cpuUsage
 * around one publish of 60,000 leads, after a first publish has loaded the Parquet module): the steady-state cost,
 * which a short server run hides under the module's one-time start-up.
 */
async function conversionCpuInProcess(leads: number): Promise<number> {
  const names = demoFeatures().map((s) => s.name);
  const publish = async (count: number, timed: boolean): Promise<number> => {
    const dir = mkdtempSync(join(tmpdir(), 'lake-cost-convert-'));
    try {
      const spool = new SpoolWriter({ dir, writer: 'bench-1', featureNames: names, sync: 'interval', syncMs: 20, logger: console });
      for (const e of spoolRequests(leads, count)) spool.append(e);
      await spool.close();
      const keeper = new LakeKeeper({ dir, run: 'a-later-run', logger: console });
      await keeper.recover();
      const c0 = process.cpuUsage();
      const { rows } = await keeper.cycle({ all: true });
      const c = process.cpuUsage(c0);
      return timed ? (c.user + c.system) / rows : 0;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  // A warm-up publish big enough for the JIT: the first 1,000 leads cost ~40% more per lead than later ones.
  await publish(Math.ceil(20_000 / leads), false);
  return publish(Math.ceil(60_000 / leads), true);
}

/**
 * The spool's CPU measured directly: the same writer appending requests of `leads` random leads in this process
 * (process.cpuUsage around the appends only), to tell CPU from the server figure's waits and preemption.
 */
function spoolCpuInProcess(leads: number): number {
  const dir = mkdtempSync(join(tmpdir(), 'lake-cost-spool-'));
  const names = demoFeatures().map((s) => s.name);
  const spool = new SpoolWriter({ dir, writer: 'bench-1', featureNames: names, sync: 'interval', syncMs: 20, logger: console });
  const requests = spoolRequests(leads, Math.ceil(60_000 / leads));
  const c0 = process.cpuUsage();
  for (const e of requests) spool.append(e);
  const c = process.cpuUsage(c0);
  void spool.close().then(() => rmSync(dir, { recursive: true, force: true }));
  return (c.user + c.system) / (requests.length * leads);
}

async function main(): Promise<void> {
  process.stdout.write(`bench(lake-cost): npm start (WORKERS=2, lake defaults), fixed ${RATE} req/s, random leads\n`);
  for (const leads of SIZES) await run(leads);
}

void main();
