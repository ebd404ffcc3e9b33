/**
 * The cost of a shadow model at the mission's load (area `api-shadow`; `npx tsx apps/api/bench/shadow.ts` alone): two clusters as `npm start` runs them (2 workers, metrics and the Parquet lake on), the
 * demo model in production, one of them with the demo bundle again as its shadow model (SHADOW_MODEL_DIR: a
 * challenger of the same size scores every lead a second time), each driven in turn at a fixed 300 req/s of 50-lead
 * requests by the project's load tester (open model, p99 from its HDR histogram in microseconds: autocannon's whole
 * milliseconds are ~8 % of a 12 ms p99), in ABBA rounds so that the machine's drift hits both alike. Figures: the
 * median over rounds of each one's p99, their ratio (target: within 10 %), and the leads the shadow skipped (it samples
 * when behind).
 * BENCH_DURATION: seconds of each round (default 10). BENCH_ROUNDS: rounds per server (default 6).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_BUNDLE_DIR } from '@lead-scoring/model-bundle';
import { atMost, envCount, median, report, spread, startApi, type Figure, type RunningApi } from '@lead-scoring/bench';
import { runCli } from '@lead-scoring/testing';
import { sumSeries } from './support';

const DURATION = envCount('BENCH_DURATION', 10);
const ROUNDS = envCount('BENCH_ROUNDS', 6);
const RATE = 300;
const LEADS = 50;
const TARGET_RATIO = 1.1;

/** p99 in ms of `seconds` at RATE req/s of LEADS-lead requests to `url`, by `npm run load-test` (its JSON report). */
async function loadP99(url: string, seconds: number, seed: number, dir: string): Promise<number> {
  const out = join(dir, `load-${seed}.json`);
  const args = [
    '--target',
    `${url}/score`,
    '--rate',
    String(RATE),
    '--rows',
    String(LEADS),
    '--duration',
    `${seconds}s`,
  ];
  const r = await runCli('apps/load-tester/src/main.ts', [
    ...args,
    '--seed',
    String(seed),
    '--no-live',
    '--report-json',
    out,
  ]);
  if (r.code !== 0) throw new Error(`load-test exited ${r.code}:\n${r.stderr}`);
  const rep = JSON.parse(readFileSync(out, 'utf8')) as { latency_ms: { p99: number }; errors: number };
  if (rep.errors > 0) throw new Error(`load-test: ${rep.errors} errors against ${url}`);
  return rep.latency_ms.p99;
}

async function shadowTotals(url: string): Promise<{ scored: number; shadowed: number; skipped: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return {
    scored: sumSeries(text, 'lead_scoring_scores_total{'),
    shadowed: sumSeries(text, 'lead_scoring_shadow_agreement_total{'),
    skipped: sumSeries(text, 'lead_scoring_shadow_skipped_leads_total{'),
  };
}

/** Runs the shadow bench; resolves with its figures. */
export async function shadowBench(): Promise<Figure[]> {
  process.stdout.write(
    `bench(api-shadow): 2 clusters of 2 workers; ${ROUNDS} ABBA rounds of ${DURATION} s at ${RATE} req/s, ${LEADS} leads per request\n`,
  );
  const dirs = [mkdtempSync(join(tmpdir(), 'bench-shadow-a-')), mkdtempSync(join(tmpdir(), 'bench-shadow-b-'))];
  const servers: RunningApi[] = [];
  try {
    const plain = await startApi({ LAKE_DIR: dirs[0]! });
    servers.push(plain);
    const shadowed = await startApi({ LAKE_DIR: dirs[1]!, SHADOW_MODEL_DIR: DEMO_BUNDLE_DIR });
    servers.push(shadowed);
    for (const api of servers) await loadP99(api.url, Math.max(2, DURATION / 2), 1, dirs[0]!);
    const p99: [number[], number[]] = [[], []];
    for (let round = 0; round < ROUNDS; round++) {
      for (const k of round % 2 === 0 ? [0, 1] : [1, 0]) {
        // Both servers get the same leads in a round.
        const p = await loadP99(servers[k]!.url, DURATION, round + 2, dirs[0]!);
        p99[k as 0 | 1].push(p);
        process.stdout.write(`  round ${round + 1} ${k === 0 ? 'without' : 'with'} shadow: p99 ${p.toFixed(2)} ms\n`);
      }
    }
    const totals = await shadowTotals(shadowed.url);
    const [without, withShadow] = [spread(p99[0]), spread(p99[1])];
    const ratios = spread(p99[1].map((p, i) => p / p99[0][i]!));
    return [
      {
        metric: `${LEADS}-lead requests at ${RATE} req/s: p99 without a shadow`,
        value: without.median,
        unit: 'ms',
        range: [without.min, without.max],
      },
      {
        metric: `${LEADS}-lead requests at ${RATE} req/s: p99 with a shadow`,
        value: withShadow.median,
        unit: 'ms',
        range: [withShadow.min, withShadow.max],
      },
      atMost(
        {
          metric: 'p99 with / without a shadow (median of the rounds)',
          value: median(p99[1]) / median(p99[0]),
          unit: 'x',
          range: [ratios.min, ratios.max],
        },
        TARGET_RATIO,
      ),
      {
        metric: 'leads the shadow scored, of those production scored',
        value: (100 * totals.shadowed) / Math.max(1, totals.scored),
        unit: '%',
      },
      { metric: 'leads the shadow skipped', value: totals.skipped, unit: 'leads' },
    ];
  } finally {
    for (const s of servers) await s.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

if (require.main === module) {
  shadowBench().then(
    (figures) => void report('api-shadow', figures),
    (err: unknown) => {
      process.stderr.write(`bench(api-shadow) failed: ${(err as Error).stack ?? String(err)}\n`);
      process.exit(1);
    },
  );
}
