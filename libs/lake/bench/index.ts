/**
 * The lake's cost per lead, without a server (`npx nx run lake:bench`, area `lake`), through its public doors: a
 * `SpoolWriter` appends requests of random demo-model leads as the API's record hook hands them over, then a
 * `LakeKeeper` in this thread publishes the spool as one ZSTD Parquet file. CPU of this process per lead (every
 * thread: the spool's synchronous writes, the keeper's decoding, Arrow and parquet-wasm) and the file's bytes per lead,
 * for 50-lead and 1-lead requests; the 50-lead ones against the lake's budget (docs/adr/0006-lake-parquet-library.md).
 * A first publish loads the Parquet module and warms the JIT; each figure is then the median of BENCH_REPEATS
 * (default 3) publishes of BENCH_LEADS_PER_FILE (default 60000) leads. The same costs inside the running server:
 * `apps/api/bench/lake-cost.ts`.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  atMost,
  envCount,
  filesBytes,
  envCounts,
  report,
  spread,
  type Figure,
  type Measured,
} from '@lead-scoring/bench';
import { SpoolWriter } from '@lead-scoring/lake';
import { LakeKeeper } from '@lead-scoring/lake/keeper';
import type { ScoredEvent } from '@lead-scoring/metrics';
import { FEATURE_NAMES, eventOf, sampleRows } from '@lead-scoring/metrics/testing';

const SIZES = envCounts('BENCH_LEADS', [50, 1]);
const REPEATS = envCount('BENCH_REPEATS', 3);
const LEADS_PER_FILE = envCount('BENCH_LEADS_PER_FILE', 60_000);
/** The lake's budget holds for requests of 50 leads; with fewer, per-request costs (ids, frames) weigh on each lead. */
const BUDGET_LEADS = 50;
const TARGET_CPU_US = 10;
const TARGET_BYTES = 120;
const logger = { warn: console.warn, error: console.error };

/** Requests of `leads` random leads, `total` leads in all, each with its own request id, latency and probabilities. */
function requests(leads: number, total: number, seed: number): ScoredEvent[] {
  const x = sampleRows(total, seed);
  const t0 = Date.now();
  const out: ScoredEvent[] = [];
  for (let i = 0; i < total; i += leads) {
    const e = eventOf(x, i, leads);
    const results = e.results.map((r, k) => ({
      ...r,
      probabilities: [0.1, 0.2, 0.3, 0.25, 0.15].map((p) => Math.fround(p * (1 + ((i + k) % 7) / 50))),
    }));
    out.push({
      ...e,
      requestId: randomUUID(),
      leadIds: undefined,
      ts: t0 + i,
      latencyMs: 3 + (i % 997) / 1000,
      results,
    });
  }
  return out;
}

const cpuUs = (): number => {
  const c = process.cpuUsage();
  return c.user + c.system;
};

/** Spools `reqs`, publishes them as a later run's keeper would; CPU µs per lead of each step, bytes per lead. */
async function spoolAndPublish(
  reqs: readonly ScoredEvent[],
): Promise<{ spool: number; convert: number; bytes: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-lake-'));
  try {
    const leads = reqs.reduce((n, e) => n + e.nRows, 0);
    const spool = new SpoolWriter({
      dir,
      writer: 'bench-1',
      featureNames: FEATURE_NAMES,
      sync: 'interval',
      syncMs: 20,
      logger,
    });
    const s0 = cpuUs();
    for (const e of reqs) void spool.append(e);
    const spoolCpu = cpuUs() - s0;
    await spool.close();
    const keeper = new LakeKeeper({ dir, run: 'later', logger });
    await keeper.recover();
    const c0 = cpuUs();
    const { rows } = await keeper.cycle({ all: true });
    const convertCpu = cpuUs() - c0;
    if (rows !== leads) throw new Error(`the keeper published ${rows} of ${leads} leads`);
    return {
      spool: spoolCpu / leads,
      convert: convertCpu / leads,
      bytes: filesBytes(join(dir, 'scores'), '.parquet') / leads,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  process.stdout.write(
    `bench(lake): ${LEADS_PER_FILE} random demo-model leads per file, median of ${REPEATS} publishes, CPU of this process\n`,
  );
  await spoolAndPublish(requests(50, 20_000, 99));
  const figures: Figure[] = [];
  for (const leads of SIZES) {
    const runs = [];
    for (let k = 0; k < REPEATS; k++) runs.push(await spoolAndPublish(requests(leads, LEADS_PER_FILE, leads + k)));
    const spool = spread(runs.map((r) => r.spool));
    const convert = spread(runs.map((r) => r.convert));
    const both = spread(runs.map((r) => r.spool + r.convert));
    const bytes = spread(runs.map((r) => r.bytes));
    const label = `${leads} lead${leads === 1 ? '' : 's'}/request`;
    const budget = (f: Measured, limit: number): Figure => (leads === BUDGET_LEADS ? atMost(f, limit) : f);
    figures.push(
      { metric: `${label}: spool CPU per lead`, value: spool.median, unit: 'µs', range: [spool.min, spool.max] },
      {
        metric: `${label}: conversion CPU per lead`,
        value: convert.median,
        unit: 'µs',
        range: [convert.min, convert.max],
      },
      budget(
        {
          metric: `${label}: spool + conversion CPU per lead`,
          value: both.median,
          unit: 'µs',
          range: [both.min, both.max],
        },
        TARGET_CPU_US,
      ),
      budget(
        { metric: `${label}: Parquet bytes per lead`, value: bytes.median, unit: 'B', range: [bytes.min, bytes.max] },
        TARGET_BYTES,
      ),
    );
  }
  report('lake', figures);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench(lake) failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
