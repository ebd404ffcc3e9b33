import { FEATURE_NAMES, NUM_FEATURES, scoreOf } from '@lead-scoring/metrics/testing';
import { binSlot, type DriftBaseline } from '../src';

export {
  FEATURE_NAMES,
  NUM_FEATURES,
  SPECS,
  eventOf,
  fakeLogger,
  sampleRows,
  scoreOf,
} from '@lead-scoring/metrics/testing';

/**
 * A training-style baseline from sample rows: up to 10 quantile bins per feature (outer edges = min/max),
 * built the way the bundle's baseline is described (proportions over non-missing values).
 */
export function baselineFrom(x: Float32Array, n: number): DriftBaseline {
  const features: DriftBaseline['features'] = {};
  FEATURE_NAMES.forEach((name, f) => {
    const vals: number[] = [];
    for (let r = 0; r < n; r++) {
      const v = x[r * NUM_FEATURES + f] ?? NaN;
      if (!Number.isNaN(v)) vals.push(v);
    }
    vals.sort((a, b) => a - b);
    const q = (p: number): number => vals[Math.min(vals.length - 1, Math.floor(p * vals.length))] ?? 0;
    const cuts = [...new Set([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9].map(q))].filter((c) => c > (vals[0] ?? 0));
    const counts = new Array<number>(cuts.length + 1).fill(0);
    const cutArr = Float64Array.from(cuts);
    for (const v of vals) counts[binSlot(cutArr, v) - 1] = (counts[binSlot(cutArr, v) - 1] ?? 0) + 1;
    features[name] = {
      edges: [vals[0] ?? 0, ...cuts, vals[vals.length - 1] ?? 0],
      proportions: counts.map((c) => c / Math.max(1, vals.length)),
      missing_rate: 1 - vals.length / n,
    };
  });
  const scores = [0, 0, 0, 0, 0];
  for (let r = 0; r < n; r++) scores[scoreOf(x, r) - 1] = (scores[scoreOf(x, r) - 1] ?? 0) + 1;
  return { sample_size: n, features, scores: { proportions: scores.map((c) => c / n) } };
}
