import type { FeatureBaseline } from './baseline';

/**
 * Floor applied to every proportion before PSI's log ratio: an empty bin on either side would make
 * ln(a/e) infinite. 1e-4 (0.01 %) is the usual choice; proportions are not renormalised after the floor,
 * which changes PSI by at most ~1e-3 and keeps hand computation simple.
 */
export const PSI_EPSILON = 1e-4;

/** PSI thresholds: below 0.1 stable, 0.1-0.25 watch, above 0.25 alert (industry convention). */
export const PSI_WATCH = 0.1;
export const PSI_ALERT = 0.25;

/**
 * Population Stability Index: sum over bins of (a - e) * ln(a / e), with both sides floored at `epsilon`.
 *
 * @example
 * psi([0.5, 0.5], [0.25, 0.75]); // 0.25 * ln(0.5) * -1 + 0.25 * ln(1.5) = 0.2747
 */
export function psi(expected: ArrayLike<number>, actual: ArrayLike<number>, epsilon = PSI_EPSILON): number {
  if (expected.length !== actual.length)
    throw new RangeError(`bin counts differ: ${expected.length} vs ${actual.length}`);
  let sum = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.max(expected[i]!, epsilon);
    const a = Math.max(actual[i]!, epsilon);
    sum += (a - e) * Math.log(a / e);
  }
  return sum;
}

/** A feature baseline compiled for fast binning: slot 0 is "missing", slots 1..k the value bins. */
export interface CompiledFeatureBins {
  /** Interior cut points, ascending. */
  readonly cuts: Float64Array;
  /** Expected proportions over all rows (missing first), length cuts.length + 2. */
  readonly expected: Float64Array;
}

/**
 * Compiles a baseline so that missing values count as their own bin: expected = [missing_rate,
 * (1 - missing_rate) * proportions...]. A jump in missing values therefore shows up in PSI too.
 *
 * @example
 * const bins = compileFeatureBins({ edges: [0, 1, 2], proportions: [0.5, 0.5], missing_rate: 0 });
 */
export function compileFeatureBins(baseline: FeatureBaseline): CompiledFeatureBins {
  const k = baseline.proportions.length;
  const cuts = baseline.edges.length === k + 1 ? baseline.edges.slice(1, k) : baseline.edges.slice();
  const expected = new Float64Array(k + 1);
  expected[0] = baseline.missing_rate;
  const total = baseline.proportions.reduce((s, p) => s + p, 0) || 1;
  for (let i = 0; i < k; i++) expected[i + 1] = ((1 - baseline.missing_rate) * baseline.proportions[i]!) / total;
  // Inputs reach us as float32 (the model's view, and the lake's FLOAT columns); a float64 cut such as
  // 1.23 is below float32(1.23), which would move every value equal to the cut up one bin. Rounding the
  // cuts to float32 too keeps "v <= cut" true for exactly the values the baseline counted.
  return { cuts: Float64Array.from(cuts, Math.fround), expected };
}

/**
 * Slot of a value: 0 when missing (NaN or null), else 1 + the number of cut points strictly below v
 * (binary search). Bins are right-closed, `cuts[i-1] < v <= cuts[i]`, exactly as the bundle's baseline
 * was computed (model-bundle `baselineBinIndex`); integer features sit on the cut points, so the side matters.
 *
 * @example
 * binSlot(new Float64Array([1, 2]), 1.5); // 2
 * binSlot(new Float64Array([1, 2]), 2); // 2
 */
export function binSlot(cuts: Float64Array, v: number | null): number {
  if (v === null || v !== v) return 0;
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cuts[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo + 1;
}

/** Counts to proportions (all zeros stay zeros). */
export function toProportions(counts: ArrayLike<number>): Float64Array {
  let n = 0;
  for (let i = 0; i < counts.length; i++) n += counts[i]!;
  const out = new Float64Array(counts.length);
  if (n > 0) for (let i = 0; i < counts.length; i++) out[i] = counts[i]! / n;
  return out;
}
