// Evaluator benchmark: `npx nx run xgboost-evaluator:bench` (part of `npm run bench`).
// M1 (seed hyper-parameters: multi:softprob, 5 classes, 100 trees) and M2 (binary:logistic,
// 500 trees, depth 8), both trained by real XGBoost, timed against XGBoost's own C++ predictor
// (nthread=1, inplace_predict) on the same 10,000 rows; then TreeSHAP contributions against XGBoost's
// pred_contribs (bench/contribs.ts). Prints tables, writes tmp/bench/evaluator.json.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { benchContribs, contribsTargets, printContribs, type ContribsResult } from './contribs';
import { measureBatch, measureLoad, measureSingleRow, type OurFigures } from './measure';
import {
  benchModelFiles,
  ensureBenchModels,
  hasPythonXgboost,
  runXgboost,
  type XgboostFigures,
} from './xgboost-baseline';

interface ModelResult {
  name: string;
  description: string;
  trees: number;
  ours: OurFigures & { loadMsUbj: number };
  xgboost?: Omit<XgboostFigures, 'predictions'>;
  ratio?: number;
  maxAbsDiff?: number;
  contribs: ContribsResult;
}

/** Rows explained per model: XGBoost 1.7.4's exact TreeSHAP takes ~10 s for 1,000 rows of M2. */
const CONTRIBS_ROWS: Record<string, number> = { M1: 1000, M2: 250 };

function workspaceRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'nx.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the workspace root (nx.json) above ' + __dirname);
    dir = parent;
  }
  return dir;
}

function readRows(path: string): Float32Array {
  const bytes = readFileSync(path);
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

interface BenchOptions {
  root: string;
  name: string;
  description: string;
  modelPath: string;
  rowsPath: string;
  compare: boolean;
}

function benchModel(options: BenchOptions): ModelResult {
  const { model, loadMs } = measureLoad(new Uint8Array(readFileSync(options.modelPath)));
  const ubjPath = options.modelPath.replace(/\.json$/, '.ubj');
  const { loadMs: loadMsUbj } = measureLoad(new Uint8Array(readFileSync(ubjPath)));
  const x = readRows(options.rowsPath);
  const nRows = x.length / model.numFeatures;
  const batch = measureBatch({ model, x, nRows });
  const single = measureSingleRow({ model, x, nRows });
  const contribs = benchContribs({
    root: options.root,
    name: options.name,
    model,
    modelPath: options.modelPath,
    rowsPath: options.rowsPath,
    x,
    nRows: CONTRIBS_ROWS[options.name] ?? 250,
    compare: options.compare,
  });
  const result: ModelResult = {
    name: options.name,
    description: options.description,
    trees: model.numTrees,
    ours: {
      loadMs,
      loadMsUbj,
      rowsPerSecond: batch.rowsPerSecond,
      batchMs: batch.batchMs,
      singleP50Us: single.p50Us,
      singleP99Us: single.p99Us,
    },
    contribs,
  };
  if (!options.compare) return result;
  const { predictions, ...xgboost } = runXgboost({
    root: options.root,
    model: options.modelPath,
    rows: options.rowsPath,
    numFeatures: model.numFeatures,
  });
  let maxAbsDiff = predictions.length === batch.predictions.length ? 0 : Infinity;
  for (let i = 0; i < predictions.length; i++) {
    maxAbsDiff = Math.max(maxAbsDiff, Math.abs(predictions[i]! - batch.predictions[i]!));
  }
  return { ...result, xgboost, ratio: batch.rowsPerSecond / xgboost.rows_per_s, maxAbsDiff };
}

function fmt(value: number | undefined, digits = 1): string {
  if (value === undefined) return 'n/a';
  return value >= 1e4 ? Math.round(value).toLocaleString('en-US') : value.toFixed(digits);
}

function printTable(results: ModelResult[]): void {
  const header = [
    'model',
    'trees',
    'load ms json/ubj',
    'ours rows/s',
    'xgboost rows/s',
    'ratio',
    'ours 1-row p50/p99 µs',
    'xgboost 1-row p50 µs',
    'max |diff|',
  ];
  const rows = results.map((r) => [
    r.name,
    String(r.trees),
    `${fmt(r.ours.loadMs)} / ${fmt(r.ours.loadMsUbj)}`,
    fmt(r.ours.rowsPerSecond),
    fmt(r.xgboost?.rows_per_s),
    r.ratio === undefined ? 'n/a' : `${r.ratio.toFixed(2)}x`,
    `${fmt(r.ours.singleP50Us, 2)} / ${fmt(r.ours.singleP99Us, 2)}`,
    fmt(r.xgboost?.single_p50_us, 2),
    r.maxAbsDiff === undefined ? 'n/a' : r.maxAbsDiff.toExponential(2),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  for (const row of [header, widths.map((w) => '-'.repeat(w)), ...rows]) {
    console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  '));
  }
  for (const r of results) console.log(`  ${r.name}: ${r.description}`);
}

function targets(results: ModelResult[]): { target: string; pass: boolean | undefined; value: string }[] {
  const [m1, m2] = results;
  const speedup = (name: string, r: ModelResult | undefined) => ({
    target: `${name} rows/s >= 1.5x XGBoost`,
    pass: r?.ratio === undefined ? undefined : r.ratio >= 1.5,
    value: `${fmt(r?.ratio, 2)}x`,
  });
  return [
    speedup('M1', m1),
    speedup('M2', m2),
    {
      target: 'M1 single-row p50 <= 3 µs',
      pass: (m1?.ours.singleP50Us ?? Infinity) <= 3,
      value: `${fmt(m1?.ours.singleP50Us, 2)} µs`,
    },
    { target: 'M2 load <= 300 ms', pass: (m2?.ours.loadMs ?? Infinity) <= 300, value: `${fmt(m2?.ours.loadMs)} ms` },
  ];
}

function main(): void {
  const root = workspaceRoot();
  const files = benchModelFiles(root);
  if (!ensureBenchModels(root)) {
    console.log(
      'evaluator bench: python3-xgboost is not installed (apt-get install python3-xgboost) ' +
        'and tmp/bench-models is empty; nothing to benchmark.',
    );
    return;
  }
  const compare = hasPythonXgboost();
  if (!compare) console.log('python3-xgboost is not installed: skipping the XGBoost comparison (ours only).');
  const m1 = 'multi:softprob, 5 classes, 20 rounds, depth 6 (seed hyper-parameters), 50 features';
  const m2 = 'binary:logistic, 500 rounds, depth 8, 50 features';
  const results = [
    benchModel({ root, name: 'M1', description: m1, modelPath: files.m1, rowsPath: files.rows, compare }),
    benchModel({ root, name: 'M2', description: m2, modelPath: files.m2, rowsPath: files.rows, compare }),
  ];
  const version = results[0]?.xgboost?.xgboost_version ?? '(not run)';
  console.log(
    `\nXGBoost-compatible evaluator vs XGBoost ${version} C++ predictor (nthread=1, inplace_predict), ` +
      `10,000-row batches (node ${process.version})\n`,
  );
  printTable(results);
  console.log(`\nTreeSHAP contributions vs XGBoost's predict(pred_contribs=True), nthread=1, same rows, same run\n`);
  printContribs(results.map((r) => r.contribs));
  const verdicts = [...targets(results), ...contribsTargets(results.map((r) => r.contribs))];
  console.log('');
  for (const v of verdicts) {
    console.log(`${v.pass === undefined ? 'SKIP' : v.pass ? 'PASS' : 'FAIL'}  ${v.target}: ${v.value}`);
  }
  const outDir = join(root, 'tmp', 'bench');
  mkdirSync(outDir, { recursive: true });
  const outFile = join(outDir, 'evaluator.json');
  writeFileSync(outFile, JSON.stringify({ node: process.version, results, targets: verdicts }, null, 2) + '\n');
  console.log(`\nwrote ${relative(root, outFile)}`);
}

main();
