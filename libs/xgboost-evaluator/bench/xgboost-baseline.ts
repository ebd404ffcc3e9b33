// The real alternative, run in the same benchmark: XGBoost's C++ predictor through Python
// (tools/xgboost/bench_xgboost.py), plus training the benchmark models when they are not cached.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const PYTHON = '/usr/bin/python3';

export interface XgboostFigures {
  xgboost_version: string;
  rows: number;
  batch_ms: number;
  rows_per_s: number;
  single_p50_us: number;
  single_p99_us: number;
  /** XGBoost's inplace_predict output on the same rows, row-major. */
  predictions: Float64Array;
}

export function hasPythonXgboost(): boolean {
  return spawnSync(PYTHON, ['-c', 'import xgboost'], { stdio: 'ignore' }).status === 0;
}

/** The benchmark models and rows, trained once by make_bench_models.py into tmp/bench-models. */
export function benchModelFiles(root: string): { dir: string; m1: string; m2: string; rows: string } {
  const dir = join(root, 'tmp', 'bench-models');
  return { dir, m1: join(dir, 'm1.json'), m2: join(dir, 'm2.json'), rows: join(dir, 'rows.f32') };
}

export function ensureBenchModels(root: string): boolean {
  const files = benchModelFiles(root);
  if ([files.m1, files.m2, files.rows].every((f) => existsSync(f))) return true;
  if (!hasPythonXgboost()) return false;
  console.log('training the benchmark models with XGBoost (first run only; cached in tmp/bench-models)...');
  const result = spawnSync(PYTHON, [join(root, 'tools', 'xgboost', 'make_bench_models.py')], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return result.status === 0;
}

export function runXgboost(options: {
  root: string;
  model: string;
  rows: string;
  numFeatures: number;
}): XgboostFigures {
  const predOut = `${options.model}.xgboost-pred.f64`;
  const script = join(options.root, 'tools', 'xgboost', 'bench_xgboost.py');
  const result = spawnSync(PYTHON, [script, options.model, options.rows, String(options.numFeatures), predOut], {
    cwd: options.root,
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (result.status !== 0) {
    throw new Error(`bench_xgboost.py failed (exit ${String(result.status)}): ${result.stderr}`);
  }
  const lastLine = result.stdout.trim().split('\n').pop() ?? '';
  const figures = JSON.parse(lastLine) as Omit<XgboostFigures, 'predictions'>;
  const bytes = readFileSync(predOut);
  const predictions = new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  return { ...figures, predictions };
}

export interface XgboostContribsFigures {
  xgboost_version: string;
  rows: number;
  batch_ms: number;
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
  const script = join(options.root, 'tools', 'xgboost', 'bench_xgboost.py');
  const args = [script, 'contribs', options.model, options.rows, String(options.numFeatures), String(options.nRows), out];
  const result = spawnSync(PYTHON, options.xgboost3 ? [...args, '--xgboost3'] : args, {
    cwd: options.root,
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (options.xgboost3 && result.status === 3) return undefined;
  if (result.status !== 0) {
    throw new Error(`bench_xgboost.py contribs failed (exit ${String(result.status)}): ${result.stderr}`);
  }
  const figures = JSON.parse(result.stdout.trim().split('\n').pop() ?? '') as Omit<XgboostContribsFigures, 'contribs'>;
  const bytes = readFileSync(out);
  return { ...figures, contribs: new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)) };
}
