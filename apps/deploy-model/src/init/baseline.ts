import { baselineBinIndex, type Baseline, type BaselineFeature } from '@lead-scoring/model-bundle';
import { linearQuantile, round6 } from './numeric';
import type { SampleTable } from './sample-table';

const DECILES = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => i / 10);

/**
 * Drift baseline of one column, as tools/demo-model/train_demo.py computes it: edges = the distinct deciles of
 * the present values rounded to 6 decimals; bin i holds `edges[i-1] < v <= edges[i]`; proportions and
 * missing_rate rounded to 6 decimals. Values are binned on the rounded edges, as the drift monitor bins them.
 * A column with no present value gets edges [0] and proportions [0, 0] (train_demo.py's choice): the schema
 * needs one edge, and with missing_rate 1 the PSI weighs those bins by zero, so any present value shows as drift.
 *
 * @example baselineFeature(Float64Array.of(1, 2, NaN)).missing_rate // 0.333333
 */
export function baselineFeature(column: Float64Array): BaselineFeature {
  const present = column.filter((v) => !Number.isNaN(v)).sort();
  const n = present.length;
  const edges = n === 0 ? [0] : [...new Set(DECILES.map((q) => round6(linearQuantile(present, q))))];
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (const v of present) counts[baselineBinIndex(edges, v)]!++;
  return {
    edges,
    proportions: counts.map((c) => round6(c / Math.max(n, 1))),
    missing_rate: round6(1 - n / column.length),
  };
}

/**
 * The manifest's `baseline`: every feature's bins and the share of each score 1..5 on the sample.
 *
 * @example buildBaseline(sample, names, scores).scores.proportions // [0.2, 0.2, 0.2, 0.2, 0.2]
 */
export function buildBaseline(sample: SampleTable, names: readonly string[], scores: Uint8Array): Baseline {
  const features: Record<string, BaselineFeature> = {};
  names.forEach((name, j) => (features[name] = baselineFeature(sample.columns[j]!)));
  const counts = [0, 0, 0, 0, 0];
  for (const s of scores) counts[s - 1]!++;
  return { sample_size: sample.rows, features, scores: { proportions: counts.map((c) => round6(c / scores.length)) } };
}
