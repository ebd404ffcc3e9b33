import type { FeatureSpec } from '@lead-scoring/feature-schema';

/** One feature value as a request carries it; `null` = missing. */
export type FeatureValue = number | null;

/** How an invalid row breaks the schema (the API must answer each with a 4xx). */
export type InvalidKind = 'above_max' | 'below_min' | 'missing_not_allowed' | 'wrong_length';

/** Share of nullable features left missing in generated valid rows. */
const MISSING_RATE = 0.08;

/**
 * Draws one valid lead from the feature ranges: wide count and amount ranges are drawn
 * log-uniformly (most companies are small), integers are whole, some nullable features are missing.
 *
 * @example
 * generateRow(FEATURES, createRng(1)).length; // 50
 */
export function generateRow(specs: readonly FeatureSpec[], rng: () => number): FeatureValue[] {
  return specs.map((spec) => drawValue(spec, rng));
}

function drawValue(spec: FeatureSpec, rng: () => number): FeatureValue {
  if (spec.allowMissing && rng() < MISSING_RATE) return null;
  const span = spec.max - spec.min;
  const u = rng();
  const skewed = (spec.kind === 'count' || spec.kind === 'amount') && span > 100;
  const raw = spec.min + (skewed ? Math.expm1(u * Math.log1p(span)) : u * span);
  const value = spec.integer ? Math.floor(raw + (skewed ? 0 : u)) : Math.round(raw * 1e4) / 1e4;
  return Math.min(spec.max, Math.max(spec.min, value));
}

/** The invalid kinds a feature list can express (`missing_not_allowed` needs a non-nullable feature). */
export function invalidKindsFor(specs: readonly FeatureSpec[]): InvalidKind[] {
  const kinds: InvalidKind[] = ['above_max', 'below_min', 'wrong_length'];
  if (specs.some((s) => !s.allowMissing)) kinds.push('missing_not_allowed');
  return kinds;
}

/**
 * Breaks one valid row in the given way (one feature out of range, a required feature missing,
 * or the last feature dropped), so exactly one rule of the schema rejects it.
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
  const index = specs.indexOf(spec);
  const step = Math.max(1, Math.ceil((spec.max - spec.min) * 0.5));
  if (kind === 'missing_not_allowed') broken[index] = null;
  else broken[index] = kind === 'above_max' ? spec.max + step : spec.min - step;
  return broken;
}
