// The contributions part of the evaluator benchmark: our TreeSHAP (all groups, and the predicted class's
// group only) against XGBoost's predict(pred_contribs=True), nthread=1, on the same rows in the same run:
// XGBoost 3.x (XGBOOST3_PYTHONPATH, when set) and Debian's XGBoost 1.7.4.
import { atLeast, type Figure } from '@lead-scoring/bench';
import type { Model } from '@lead-scoring/xgboost-evaluator';
import { measureContribs } from './measure';
import { runXgboostContribs } from './xgboost-baseline';

/** The goal: at least this multiple of XGBoost 3.x's pred_contribs rows/s, all groups, one thread. */
export const CONTRIBS_TARGET_RATIO = 1.5;

export interface XgboostContribs {
  version: string;
  rowsPerSecond: number;
  /** Largest |ours − XGBoost| over every contribution of every row. */
  maxAbsDiff: number;
}

export interface ContribsResult {
  name: string;
  rows: number;
  groups: number;
  ours: { allGroupsRowsPerSecond: number; oneGroupRowsPerSecond: number };
  xgboost: XgboostContribs[];
}

function predictedGroups(model: Model, x: Float32Array, nRows: number): Int32Array {
  const groups = new Int32Array(nRows);
  if (model.numGroups === 1) return groups;
  const margins = model.predictMarginBatch(x, nRows);
  const G = model.numGroups;
  for (let r = 0; r < nRows; r++) {
    let best = 0;
    for (let g = 1; g < G; g++) if (margins[r * G + g]! > margins[r * G + best]!) best = g;
    groups[r] = best;
  }
  return groups;
}

/** Times our contributions and XGBoost's on the first `nRows` rows of `x`. */
export function benchContribs(options: {
  root: string;
  name: string;
  model: Model;
  modelPath: string;
  rowsPath: string;
  x: Float32Array;
  nRows: number;
  compare: boolean;
}): ContribsResult {
  const { model, x, nRows } = options;
  const all = measureContribs({ model, x, nRows });
  const one = measureContribs({ model, x, nRows, group: predictedGroups(model, x, nRows) });
  const xgboost: XgboostContribs[] = [];
  for (const xgboost3 of options.compare ? [true, false] : []) {
    const figures = runXgboostContribs({
      root: options.root,
      model: options.modelPath,
      rows: options.rowsPath,
      numFeatures: model.numFeatures,
      nRows,
      xgboost3,
    });
    if (!figures) continue;
    let maxAbsDiff = figures.contribs.length === all.contribs.length ? 0 : Infinity;
    for (let i = 0; i < figures.contribs.length; i++) {
      maxAbsDiff = Math.max(maxAbsDiff, Math.abs(figures.contribs[i]! - all.contribs[i]!));
    }
    xgboost.push({ version: figures.xgboost_version, rowsPerSecond: figures.rows_per_s, maxAbsDiff });
  }
  return {
    name: options.name,
    rows: nRows,
    groups: model.numGroups,
    ours: { allGroupsRowsPerSecond: all.rowsPerSecond, oneGroupRowsPerSecond: one.rowsPerSecond },
    xgboost,
  };
}

const fmt = (v: number): string => (v >= 1e4 ? Math.round(v).toLocaleString('en-US') : v.toFixed(1));

/** Prints one line per model and XGBoost version: rows/s, ratios, and the largest difference. */
export function printContribs(results: ContribsResult[]): void {
  const header = [
    'model',
    'rows',
    'ours all groups rows/s',
    'ours one group rows/s',
    'xgboost',
    'xgboost rows/s',
    'ratio all / one',
    'max |diff|',
  ];
  const rows: string[][] = [];
  for (const r of results) {
    const ours = [r.name, String(r.rows), fmt(r.ours.allGroupsRowsPerSecond), fmt(r.ours.oneGroupRowsPerSecond)];
    if (r.xgboost.length === 0) rows.push([...ours, '(not run)', 'n/a', 'n/a', 'n/a']);
    for (const x of r.xgboost) {
      const ratios = `${(r.ours.allGroupsRowsPerSecond / x.rowsPerSecond).toFixed(2)}x / ${(r.ours.oneGroupRowsPerSecond / x.rowsPerSecond).toFixed(2)}x`;
      rows.push([...ours, x.version, fmt(x.rowsPerSecond), ratios, x.maxAbsDiff.toExponential(2)]);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  for (const row of [header, widths.map((w) => '-'.repeat(w)), ...rows]) {
    console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  '));
  }
  console.log(
    "  one group = each row's predicted class (what ?explain=N needs); XGBoost computes every group, so its one figure serves both ratios.",
  );
}

/** Per model and XGBoost version: our rows/s over XGBoost's, all groups (the target, against 3.x) and one group. */
export function contribsFigures(results: ContribsResult[]): Figure[] {
  return results.flatMap((r) =>
    r.xgboost.flatMap((x): Figure[] => {
      const all = {
        metric: `${r.name} contributions rows/s, all groups: ours vs XGBoost ${x.version} pred_contribs`,
        value: r.ours.allGroupsRowsPerSecond / x.rowsPerSecond,
        unit: 'x',
      };
      return [
        x.version.startsWith('3.') ? atLeast(all, CONTRIBS_TARGET_RATIO) : all,
        {
          metric: `${r.name} contributions rows/s, predicted class: ours vs XGBoost ${x.version}`,
          value: r.ours.oneGroupRowsPerSecond / x.rowsPerSecond,
          unit: 'x',
        },
      ];
    }),
  );
}
