/**
 * API benchmarks (`npx nx run api:bench`, part of `npm run bench`), one table each, one after the other (they share
 * the machine's cores):
 *   - `api`: the local server over HTTP at the mission's load and at saturation (bench/http.ts);
 *   - `api-lambda`: the built Lambda bundle, cold and warm, and its EMF bytes (bench/lambda.ts);
 *   - `api-explain`: reason codes under load (bench/explain.ts);
 *   - `api-lake`: what the local lake costs per lead in the server (bench/lake-cost.ts);
 *   - `api-shadow`: p99 at the mission's load with and without a shadow model (bench/shadow.ts).
 * BENCH_DURATION shortens or lengthens every run (each file says its default).
 */
import { report, type Figure } from '@lead-scoring/bench';
import { explainBench } from './explain';
import { httpBench } from './http';
import { lakeCostBench } from './lake-cost';
import { lambdaBench } from './lambda';
import { shadowBench } from './shadow';

const areas: [string, () => Promise<Figure[]>][] = [
  ['api', httpBench],
  ['api-lambda', lambdaBench],
  ['api-explain', explainBench],
  ['api-lake', lakeCostBench],
  ['api-shadow', shadowBench],
];

async function main(): Promise<void> {
  for (const [area, bench] of areas) report(area, await bench());
}

main().catch((err: unknown) => {
  process.stderr.write(`bench(api) failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
