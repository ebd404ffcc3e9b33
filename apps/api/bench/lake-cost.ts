/**
 * What the local lake costs in the server (area `api-lake`; `npx tsx apps/api/bench/lake-cost.ts` alone):
 * `npm start`'s server (2 workers, each on its own spool; the primary's keeper thread publishing) at a fixed 300 req/s
 * of 50-lead and of 1-lead requests, every lead random (no two bodies alike, so ZSTD cannot feed on repeats), then
 * SIGTERM (the primary publishes what the spools hold, as at any stop). Per lead (the 50-lead ones next to the
 * lake's budget):
 *   - spool: the request path's time writing frames (`lead_scoring_lake_spool_write_seconds_total`, wall time of a
 *     synchronous write, CPU unless the thread is preempted) over the leads spooled;
 *   - conversion: the primary's CPU (its keeper thread, its event loop) from the load's start to its exit, less its
 *     idle rate measured before the load and less what a second server spends from 1 s of the same load to its exit
 *     (its keeper's first, cold conversion and its stop: once in a server's life, not per lead), over the leads
 *     spooled beyond that second server's;
 *   - Parquet bytes: the files under LAKE_DIR/scores after the stop, over the leads answered;
 *   - disk writes: what the server's processes had the kernel write (/proc/<pid>/io), spool, fsyncs and lake.
 * The lake lib's own steady-state figures, without a server, are `npx nx run lake:bench`.
 * BENCH_DURATION: seconds at 300 req/s (default 20). BENCH_LEADS: leads per request (default 50,1).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  atMost,
  envCount,
  filesBytes,
  envCounts,
  postLoad,
  report,
  startApi,
  type Figure,
  type Measured,
} from '@lead-scoring/bench';
import { lakeTotals, randomBodies } from './support';

const DURATION = envCount('BENCH_DURATION', 20);
const SIZES = envCounts('BENCH_LEADS', [50, 1]);
const RATE = 300;
/**
 * The lake's budget for requests of 50 leads (docs/adr/0006-lake-parquet-library.md): spool and conversion together,
 * and bytes on disk. With 1-lead requests the per-request parts (an id, a latency, a frame, a write) fall on each lead.
 */
const BUDGET_LEADS = 50;
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

/** Bytes a process had the kernel write to storage so far; null once it is gone. */
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

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface ToExit<R> {
  readonly result: R;
  /** CPU seconds of the primary (its keeper thread included) from the start of `body` to its exit. */
  readonly cpu: number;
  /** Bytes all the server's processes had the kernel write over the same span. */
  readonly written: number;
  readonly elapsed: number;
}

/** Starts the server, lets it settle, runs `body` against it, stops it; what its processes spent from `body` on. */
async function measureToExit<R>(
  lake: string,
  body: (url: string) => Promise<R>,
): Promise<ToExit<R> & { idleRate: number }> {
  const api = await startApi({ LAKE_DIR: lake });
  try {
    // tsx runs the server as its child: that child is the cluster's primary, its children the workers.
    const primary = childrenOf(api.child.proc.pid!)[0];
    if (primary === undefined) throw new Error('cannot find the server process under tsx');
    const pids = [primary, ...childrenOf(primary)];
    await sleep(2_000);
    const idle0 = cpuSeconds(primary)!;
    await sleep(3_000);
    const idleRate = (cpuSeconds(primary)! - idle0) / 3;
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
    const result = await body(api.url);
    const poller = setInterval(poll, 10);
    poll();
    await api.stop();
    clearInterval(poller);
    const elapsed = (performance.now() - t0) / 1000;
    return {
      result,
      cpu: lastCpu.get(primary)! - cpu0 - idleRate * elapsed,
      written: pids.reduce((s, p) => s + (lastIo.get(p) ?? 0) - (io0.get(p) ?? 0), 0),
      elapsed,
      idleRate,
    };
  } finally {
    await api.stop();
  }
}

async function run(leads: number): Promise<Figure[]> {
  const lake = mkdtempSync(join(tmpdir(), 'bench-lake-cost-'));
  const fixedLake = mkdtempSync(join(tmpdir(), 'bench-lake-cost-fixed-'));
  try {
    const nextBody = randomBodies(leads, 20_260_101 + leads);
    const loaded = await measureToExit(lake, async (url) => {
      const r = await postLoad({ url: `${url}/score`, nextBody, connections: 8, duration: DURATION, rate: RATE });
      return { r, totals: await lakeTotals(url) };
    });
    // What a server spends once in its life, whatever it scored: its keeper's first conversion (JIT and WebAssembly
    // tier-up) and its stop. Measured the same way on a second server given 1 s of the load, and taken off.
    const fixed = await measureToExit(fixedLake, (url) =>
      postLoad({ url: `${url}/score`, nextBody, connections: 8, duration: 1, rate: RATE }),
    );
    const { r, totals } = loaded.result;
    const fixedLeads = fixed.result.requests.total * leads;
    const convertCpu = loaded.cpu - fixed.cpu;
    const written = loaded.written;
    const spoolUs = (totals.spoolSeconds / totals.spooled) * 1e6;
    const convertUs = (convertCpu / (totals.spooled - fixedLeads)) * 1e6;
    const label = `${leads} lead${leads === 1 ? '' : 's'}/request`;
    const budget = (f: Measured, limit: number): Figure => (leads === BUDGET_LEADS ? atMost(f, limit) : f);
    return [
      { metric: `${label}: spool, request path per lead`, value: spoolUs, unit: 'µs' },
      { metric: `${label}: conversion, keeper CPU per lead`, value: convertUs, unit: 'µs' },
      budget(
        { metric: `${label}: spool + conversion per lead`, value: spoolUs + convertUs, unit: 'µs' },
        TARGET_CPU_US,
      ),
      budget(
        {
          metric: `${label}: Parquet bytes per lead`,
          value: filesBytes(join(lake, 'scores'), '.parquet') / (r.requests.total * leads),
          unit: 'B',
        },
        TARGET_BYTES,
      ),
      { metric: `${label}: disk writes per lead (spool, fsyncs, lake)`, value: written / totals.spooled, unit: 'B' },
      {
        metric: `${label}: leads spooled, of leads scored`,
        value: (totals.spooled / totals.scored) * 100,
        unit: '%',
        target: '100 %',
        holds: totals.scored > 0 && totals.spooled === totals.scored && totals.unrecorded === 0,
      },
    ];
  } finally {
    rmSync(lake, { recursive: true, force: true });
    rmSync(fixedLake, { recursive: true, force: true });
  }
}

/** Runs the server at 300 req/s for each request size and returns the figures (area `api-lake`). */
export async function lakeCostBench(): Promise<Figure[]> {
  process.stdout.write(
    `bench(api-lake): cluster of 2 workers, lake defaults, ${RATE} req/s of random leads for ${DURATION} s per request size\n`,
  );
  const figures: Figure[] = [];
  for (const leads of SIZES) figures.push(...(await run(leads)));
  return figures;
}

if (require.main === module) {
  lakeCostBench().then(
    (figures) => void report('api-lake', figures),
    (err: unknown) => {
      process.stderr.write(`bench(api-lake) failed: ${(err as Error).stack ?? String(err)}\n`);
      process.exit(1);
    },
  );
}
