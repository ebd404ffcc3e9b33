/**
 * Test helpers for other projects: a seeded PRNG and random valid leads.
 * Imported as `@lead-scoring/feature-schema/testing`; not part of the runtime API.
 */
import { FEATURES, type FeatureSpec } from './features';

/**
 * A small, fast, seeded PRNG (mulberry32) returning floats in [0, 1).
 *
 * @example
 * const rng = mulberry32(42); rng(); // same sequence on every run
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Probability of drawing `null` for a feature that allows missing. */
const MISSING_RATE = 0.1;

/**
 * A random valid row: 50 values in manifest order, inside each range, whole numbers where
 * integer, and `null` now and then where missing is allowed.
 *
 * @example
 * const row = sampleLead(mulberry32(7)); // row.length === 50
 */
export function sampleLead(rng: () => number): (number | null)[] {
  return FEATURES.map((spec) => sampleValue(spec, rng));
}

function sampleValue(spec: FeatureSpec, rng: () => number): number | null {
  const u = rng();
  if (spec.allowMissing && rng() < MISSING_RATE) return null;
  if (spec.kind === 'flag') return u < 0.3 ? 1 : 0;
  // Skew towards small values, as real counts and amounts are: most leads do little.
  const skew = spec.kind === 'count' || spec.kind === 'amount' || spec.kind === 'days' ? u ** 4 : u;
  const span = spec.max - spec.min;
  if (spec.integer) return Math.min(spec.max, spec.min + Math.floor(skew * (span + 1)));
  return Math.min(spec.max, Math.round((spec.min + skew * span) * 1e4) / 1e4);
}

/**
 * The smallest valid value of every feature that may not be missing, by name: the least a named-form
 * lead must carry.
 *
 * @example { leads: [{ features: { ...requiredFeatureValues(), web_visits_30d: 12 } }] }
 */
export function requiredFeatureValues(): Record<string, number> {
  return Object.fromEntries(FEATURES.filter((s) => !s.allowMissing).map((s) => [s.name, s.min]));
}
