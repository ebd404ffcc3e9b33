import type { FeatureSpec } from '@lead-scoring/feature-schema';

/** One feature value as a request carries it; `null` = missing, a string only in deliberately invalid rows. */
export type FeatureValue = number | null | string;

/**
 * How an invalid row breaks the contract so that its lead cannot be scored under any validation policy
 * (a value outside its published range is only flagged by default, so it is not among these).
 */
export type InvalidKind = 'not_a_number' | 'missing_not_allowed' | 'wrong_length';

/** Share of nullable features left missing in generated valid rows. */
const MISSING_RATE = 0.08;
/** Span drawn over for an unbounded end of a range. */
const OPEN_SPAN = 1000;

/**
 * Draws one valid lead from the feature ranges: wide count and amount ranges are drawn
 * log-uniformly (most companies are small), integers are whole, some nullable features are missing.
 *
 * @example
 * generateRow(bundle.contract.features, createRng(1)).length; // the model's feature count
 */
export function generateRow(specs: readonly FeatureSpec[], rng: () => number): FeatureValue[] {
  return specs.map((spec) => drawValue(spec, rng));
}

function drawValue(spec: FeatureSpec, rng: () => number): number | null {
  if (spec.allowMissing && rng() < MISSING_RATE) return null;
  const min = Number.isFinite(spec.min) ? spec.min : (Number.isFinite(spec.max) ? spec.max : 0) - OPEN_SPAN;
  const max = Number.isFinite(spec.max) ? spec.max : min + 2 * OPEN_SPAN;
  const span = max - min;
  const u = rng();
  const skewed = (spec.kind === 'count' || spec.kind === 'amount') && span > 100;
  const raw = min + (skewed ? Math.expm1(u * Math.log1p(span)) : u * span);
  const value = spec.integer ? Math.floor(raw + (skewed ? 0 : u)) : Math.round(raw * 1e4) / 1e4;
  const lo = spec.integer ? Math.ceil(min) : min;
  const hi = spec.integer ? Math.floor(max) : max;
  return Math.min(hi, Math.max(lo, value));
}

/** The invalid kinds a feature list can express (`missing_not_allowed` needs a non-nullable feature). */
export function invalidKindsFor(specs: readonly FeatureSpec[]): InvalidKind[] {
  const kinds: InvalidKind[] = ['not_a_number', 'wrong_length'];
  if (specs.some((s) => !s.allowMissing)) kinds.push('missing_not_allowed');
  return kinds;
}

/**
 * Breaks one valid row in the given way (one feature's value a string, a required feature missing, or the last
 * feature dropped), so exactly one rule of the contract rejects it.
 */
export function breakRow(
  specs: readonly FeatureSpec[],
  row: readonly FeatureValue[],
  kind: InvalidKind,
  rng: () => number,
): FeatureValue[] {
  const broken = row.slice();
  if (kind === 'wrong_length') return broken.slice(0, -1);
  const candidates = kind === 'missing_not_allowed' ? specs.filter((s) => !s.allowMissing) : specs;
  const spec = candidates[Math.floor(rng() * candidates.length)] ?? specs[0];
  if (spec === undefined) return broken;
  broken[specs.indexOf(spec)] = kind === 'missing_not_allowed' ? null : 'n/a';
  return broken;
}
