// Evaluator benchmark: `npx nx run xgboost-evaluator:bench` (part of `npm run bench`).
// M1 (seed hyper-parameters: multi:softprob, 5 classes, 100 trees) and M2 (binary:logistic, 500 trees,
// depth 8), trained by real XGBoost (tools/xgboost/make_bench_models.py), on 10,000-row batches without
// and with missing values, against XGBoost's own C++ predictor (inplace_predict) in the same run:
// XGBoost 3.x when XGBOOST3_PYTHONPATH names its python-package, and Debian's XGBoost 1.7.4. One thread
// (nthread=1) and every core (our prediction pool, XGBoost's nthread). Then single-row latency, load time
// and TreeSHAP contributions (bench/contribs.ts). BENCH_ROUNDS (default 3) sets the batch rounds.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { atMost, envCount, report, type Figure } from '@lead-scoring/bench';
import { ROOT } from '@lead-scoring/testing';
import { createPredictionPool } from '@lead-scoring/xgboost-evaluator';
import { batchFigures, benchBatches, printBatches, type BenchModel, type RowSet } from './batches';
import { benchContribs, contribsFigures, printContribs } from './contribs';
import { measureLoad, measureSingleRow } from './measure';
import { benchModelFiles, ensureBenchModels, hasPythonXgboost } from './xgboost-baseline';

/** Rows explained per model: XGBoost 1.7.4's exact TreeSHAP takes ~10 s for 1,000 rows of M2. */
const CONTRIBS_ROWS: Record<string, number> = { M1: 1000, M2: 250 };
const ROUNDS = envCount('BENCH_ROUNDS', 3);

function readRows(path: string): Float32Array {
  const bytes = readFileSync(path);
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

async function main(): Promise<void> {
  const files = benchModelFiles(ROOT);
  if (!ensureBenchModels(ROOT)) {
    console.log(
      'evaluator bench: python3-xgboost is not installed (apt-get install python3-xgboost) and tmp/bench-models is empty; nothing to benchmark.',
    );
    return;
  }
  const compare = hasPythonXgboost();
  if (!compare) console.log('python3-xgboost is not installed: skipping the XGBoost comparison (ours only).');
  if (compare && !process.env['XGBOOST3_PYTHONPATH']) {
    console.log('XGBOOST3_PYTHONPATH is not set: the XGBoost 3.x columns are skipped (the targets are against 3.x).');
  }
  const cores = availableParallelism();
  const models: BenchModel[] = [];
  const loads: Figure[] = [];
  for (const [name, path] of [
    ['M1', files.m1],
    ['M2', files.m2],
  ] as const) {
    const bytes = new Uint8Array(readFileSync(path));
    const { model, loadMs } = measureLoad(bytes);
    const ubj = measureLoad(new Uint8Array(readFileSync(path.replace(/\.json$/, '.ubj'))));
    loads.push(atMost({ metric: `${name} load (JSON)`, value: loadMs, unit: 'ms' }, 300), {
      metric: `${name} load (UBJSON)`,
      value: ubj.loadMs,
      unit: 'ms',
    });
    models.push({ name, path, model, pool: await createPredictionPool(bytes, { threads: cores }) });
  }
  const rowSets: RowSet[] = [
    { label: 'no missing', path: files.dense, x: readRows(files.dense) },
    { label: '10% missing', path: files.missing, x: readRows(files.missing) },
  ];
  try {
    const batches = await benchBatches({ root: ROOT, models, rowSets, cores, rounds: ROUNDS, compare });
    const single: Figure[] = [];
    for (const m of models) {
      const x = rowSets[0]!.x;
      const { p50Us, p99Us } = measureSingleRow({ model: m.model, x, nRows: x.length / m.model.numFeatures });
      const p50 = { metric: `${m.name} single-row p50`, value: p50Us, unit: 'µs' };
      single.push(m.name === 'M1' ? atMost(p50, 1.5) : p50);
      single.push({ metric: `${m.name} single-row p99`, value: p99Us, unit: 'µs' });
      for (const v of batches.versions) {
        const theirs = batches.single.get(`${v} ${m.name}`);
        if (theirs)
          single.push({
            metric: `${m.name} single-row p50, XGBoost ${v} inplace_predict from Python`,
            value: theirs.p50_us,
            unit: 'µs',
          });
      }
    }
    const contribs = models.map((m) =>
      benchContribs({
        root: ROOT,
        name: m.name,
        model: m.model,
        modelPath: m.path,
        rowsPath: files.rows,
        x: readRows(files.rows),
        nRows: CONTRIBS_ROWS[m.name] ?? 250,
        compare,
      }),
    );
    console.log(
      `\nEvaluator vs XGBoost's C++ predictor (inplace_predict), 10,000-row batches, rows/s: median of ${ROUNDS} rounds\n`,
    );
    printBatches(batches);
    console.log(`\nTreeSHAP contributions vs XGBoost's predict(pred_contribs=True), nthread=1, same rows, same run\n`);
    printContribs(contribs);
    report('evaluator', [...batchFigures(batches), ...single, ...loads, ...contribsFigures(contribs)]);
  } finally {
    await Promise.all(models.map((m) => m.pool.close()));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
