// The real alternative, run in the same benchmark: XGBoost's C++ predictor through Python
// (tools/xgboost/bench_xgboost.py), Debian's 1.7.4 and the 3.x build XGBOOST3_PYTHONPATH names; plus
// training the benchmark models when they are not cached.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const PYTHON = '/usr/bin/python3';
/** bench_xgboost.py's exit status when XGBOOST3_PYTHONPATH is not set. */
const NO_XGBOOST3 = 3;

export function hasPythonXgboost(): boolean {
  return spawnSync(PYTHON, ['-c', 'import xgboost'], { stdio: 'ignore' }).status === 0;
}

/** The benchmark models and rows, trained once by make_bench_models.py into tmp/bench-models. */
export function benchModelFiles(root: string): {
  dir: string;
  m1: string;
  m2: string;
  rows: string;
  dense: string;
  missing: string;
} {
  const dir = join(root, 'tmp', 'bench-models');
  const at = (file: string) => join(dir, file);
  return {
    dir,
    m1: at('m1.json'),
    m2: at('m2.json'),
    rows: at('rows.f32'),
    dense: at('rows-dense.f32'),
    missing: at('rows-missing.f32'),
  };
}

/** Trains what tmp/bench-models lacks (make_bench_models.py keeps what is there); false without XGBoost. */
export function ensureBenchModels(root: string): boolean {
  const { dir: _dir, ...files } = benchModelFiles(root);
  if (Object.values(files).every((f) => existsSync(f))) return true;
  if (!hasPythonXgboost()) return false;
  console.log('training the benchmark models with XGBoost (first run only; cached in tmp/bench-models)...');
  const result = spawnSync(PYTHON, [join(root, 'tools', 'xgboost', 'make_bench_models.py')], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return result.status === 0;
}

function runScript(root: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(PYTHON, [join(root, 'tools', 'xgboost', 'bench_xgboost.py'), ...args], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function readF64(path: string): Float64Array {
  const bytes = readFileSync(path);
  return new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

export interface XgboostBatch {
  model: string;
  rows: string;
  nthread: number;
  rows_per_s: number;
}

export interface XgboostPredict {
  xgboost_version: string;
  results: XgboostBatch[];
  single: { model: string; p50_us: number; p99_us: number }[];
}

/**
 * XGBoost's inplace_predict on every model × rows file × thread count (see bench_xgboost.py): Debian's
 * XGBoost, or with `xgboost3` the 3.x build (undefined when XGBOOST3_PYTHONPATH is not set).
 */
export function runXgboostPredict(options: {
  root: string;
  models: string[];
  rows: string[];
  numFeatures: number;
  threads: number[];
  single: boolean;
  xgboost3: boolean;
}): XgboostPredict | undefined {
  const args = [
    'predict',
    '--models',
    options.models.join(','),
    '--rows',
    options.rows.join(','),
    '--features',
    String(options.numFeatures),
  ];
  args.push('--threads', options.threads.join(','), '--out-dir', benchModelFiles(options.root).dir);
  if (options.single) args.push('--single');
  if (options.xgboost3) args.push('--xgboost3');
  const result = runScript(options.root, args);
  if (options.xgboost3 && result.status === NO_XGBOOST3) return undefined;
  if (result.status !== 0)
    throw new Error(`bench_xgboost.py predict failed (exit ${String(result.status)}): ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').pop() ?? '') as XgboostPredict;
}

/** The nthread=1 predictions runXgboostPredict wrote for a model and rows file. */
export function xgboostPredictions(options: {
  root: string;
  model: string;
  rows: string;
  xgboost3: boolean;
}): Float64Array {
  const stem = (path: string) => basename(path).replace(/\.[^.]+$/, '');
  const file = `${stem(options.model)}.${stem(options.rows)}.xgboost${options.xgboost3 ? '3' : ''}-pred.f64`;
  return readF64(join(benchModelFiles(options.root).dir, file));
}

export interface XgboostContribsFigures {
  xgboost_version: string;
  rows: number;
  rows_per_s: number;
  /** XGBoost's pred_contribs on the same rows, in its order (row, group, feature + bias). */
  contribs: Float64Array;
}

/**
 * XGBoost's `predict(pred_contribs=True)` timed on the first `nRows` rows (nthread=1): Debian's XGBoost, or
 * with `xgboost3` the 3.x build that XGBOOST3_PYTHONPATH names (undefined when that variable is not set).
 */
export function runXgboostContribs(options: {
  root: string;
  model: string;
  rows: string;
  numFeatures: number;
  nRows: number;
  xgboost3: boolean;
}): XgboostContribsFigures | undefined {
  const out = `${options.model}.xgboost${options.xgboost3 ? '3' : ''}-contribs.f64`;
  const args = [
    'contribs',
    '--model',
    options.model,
    '--rows',
    options.rows,
    '--features',
    String(options.numFeatures),
  ];
  args.push('--count', String(options.nRows), '--out', out);
  const result = runScript(options.root, options.xgboost3 ? [...args, '--xgboost3'] : args);
  if (options.xgboost3 && result.status === NO_XGBOOST3) return undefined;
  if (result.status !== 0)
    throw new Error(`bench_xgboost.py contribs failed (exit ${String(result.status)}): ${result.stderr}`);
  const figures = JSON.parse(result.stdout.trim().split('\n').pop() ?? '') as Omit<XgboostContribsFigures, 'contribs'>;
  return { ...figures, contribs: readF64(out) };
}
