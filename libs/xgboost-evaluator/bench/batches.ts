// Batch throughput, ours against XGBoost's, in rounds: each round times our evaluator (one thread, and
// the pool on every core), then each XGBoost (nthread=1 and nthread=cores), so that a slow spell of a
// shared machine hits both sides. Ratios are taken within a round; figures are their median over rounds.
import { atLeast, median, type Figure } from '@lead-scoring/bench';
import type { Model, PredictionPool } from '@lead-scoring/xgboost-evaluator';
import { measureBatch, measurePoolBatch } from './measure';
import { runXgboostPredict, xgboostPredictions, type XgboostPredict } from './xgboost-baseline';

/** The goal: at least this multiple of XGBoost 3.x's rows/s, same threads, with and without missing values. */
export const TARGET_RATIO = 1.5;

export interface BenchModel {
  name: string;
  path: string;
  model: Model;
  pool: PredictionPool;
}

export interface RowSet {
  label: string;
  path: string;
  x: Float32Array;
}

/** One cell of the comparison: a model, a rows file, a thread count; rows/s per round. */
interface Cell {
  model: BenchModel;
  rows: RowSet;
  threads: number;
  ours: number[];
  xgboost: Map<string, number[]>;
}

export interface BatchResults {
  cells: Cell[];
  /** XGBoost versions that ran, 3.x first. */
  versions: string[];
  single: Map<string, XgboostPredict['single'][number]>;
  /** Largest |ours - XGBoost| over the predictions of each model, rows file and version. */
  diffs: { model: string; rows: string; version: string; maxAbsDiff: number }[];
}

async function timeOurs(cell: Cell): Promise<number> {
  const nRows = cell.rows.x.length / cell.model.model.numFeatures;
  if (cell.threads === 1) return measureBatch({ model: cell.model.model, x: cell.rows.x, nRows }).rowsPerSecond;
  return measurePoolBatch({ pool: cell.model.pool, x: cell.rows.x, nRows });
}

function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  if (a.length !== b.length) return Infinity;
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

/** Runs `rounds` rounds over every model × rows file × {1, cores} threads; `compare` false: ours only. */
export async function benchBatches(options: {
  root: string;
  models: BenchModel[];
  rowSets: RowSet[];
  cores: number;
  rounds: number;
  compare: boolean;
}): Promise<BatchResults> {
  const { root, models, rowSets, cores } = options;
  const threads = cores > 1 ? [1, cores] : [1];
  const cells: Cell[] = models.flatMap((model) =>
    rowSets.flatMap((rows) =>
      threads.map((t) => ({ model, rows, threads: t, ours: [], xgboost: new Map<string, number[]>() })),
    ),
  );
  const results: BatchResults = { cells, versions: [], single: new Map(), diffs: [] };
  for (let round = 0; round < options.rounds; round++) {
    for (const cell of cells) cell.ours.push(await timeOurs(cell));
    for (const xgboost3 of options.compare ? [true, false] : []) {
      const run = runXgboostPredict({
        root,
        models: models.map((m) => m.path),
        rows: rowSets.map((r) => r.path),
        numFeatures: models[0]!.model.numFeatures,
        threads,
        single: round === 0,
        xgboost3,
      });
      if (!run) continue;
      const version = run.xgboost_version;
      for (const r of run.results) {
        const cell = cells.find((c) => c.model.path === r.model && c.rows.path === r.rows && c.threads === r.nthread)!;
        cell.xgboost.set(version, [...(cell.xgboost.get(version) ?? []), r.rows_per_s]);
      }
      if (round > 0) continue;
      results.versions.push(version);
      for (const s of run.single) results.single.set(`${version} ${models.find((m) => m.path === s.model)!.name}`, s);
      for (const model of models) {
        for (const rows of rowSets) {
          const nRows = rows.x.length / model.model.numFeatures;
          const theirs = xgboostPredictions({ root, model: model.path, rows: rows.path, xgboost3 });
          const diff = maxAbsDiff(model.model.predictBatch(rows.x, nRows), theirs);
          results.diffs.push({ model: model.name, rows: rows.label, version, maxAbsDiff: diff });
        }
      }
    }
  }
  return results;
}

const fmt = (v: number | undefined): string => (v === undefined ? 'n/a' : Math.round(v).toLocaleString('en-US'));

/** The absolute figures: one line per cell, rows/s (median over rounds) of ours and of each XGBoost. */
export function printBatches(results: BatchResults): void {
  const header = ['model', 'rows', 'threads', 'ours rows/s', ...results.versions.map((v) => `XGBoost ${v} rows/s`)];
  const lines = results.cells.map((c) => [
    c.model.name,
    c.rows.label,
    c.threads === 1 ? '1' : `${c.threads} (pool)`,
    fmt(median(c.ours)),
    ...results.versions.map((v) => fmt(c.xgboost.has(v) ? median(c.xgboost.get(v)!) : undefined)),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  for (const line of [header, widths.map((w) => '-'.repeat(w)), ...lines])
    console.log(line.map((cell, i) => cell.padEnd(widths[i]!)).join('  '));
  for (const d of results.diffs) {
    console.log(
      `  ${d.model}, ${d.rows}: predictions max |ours - XGBoost ${d.version}| = ${d.maxAbsDiff.toExponential(2)}`,
    );
  }
}

/** Per cell and XGBoost version: our rows/s over XGBoost's, per round; the target applies against 3.x. */
export function batchFigures(results: BatchResults): Figure[] {
  return results.cells.flatMap((c) =>
    results.versions.map((version): Figure => {
      const theirs = c.xgboost.get(version) ?? [];
      const ratios = c.ours.map((ours, i) => ours / theirs[i]!);
      const value = median(ratios);
      const who = c.threads === 1 ? 'ours' : `pool (${c.threads} workers)`;
      const figure: Figure = {
        metric: `${c.model.name} rows/s, ${c.rows.label}, ${c.threads} thread${c.threads > 1 ? 's' : ''}: ${who} vs XGBoost ${version} (nthread=${c.threads})`,
        value,
        unit: 'x',
        range: [Math.min(...ratios), Math.max(...ratios)],
      };
      return version.startsWith('3.') ? atLeast(figure, TARGET_RATIO) : figure;
    }),
  );
}
