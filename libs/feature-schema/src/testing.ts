/**
 * Test helpers for other projects: a seeded PRNG, random valid leads of a contract, and random feature lists.
 * Imported as `@lead-scoring/feature-schema/testing`; not part of the runtime API.
 */
import type { FeatureSpec } from './feature-spec';

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
 * A random valid row of a feature list: one value per spec, inside each range (a span of 1,000 around 0 for
 * unbounded ends), whole numbers where integer, `null` now and then where missing is allowed.
 *
 * @example
 * const row = sampleLead(bundle.features, mulberry32(7)); // row.length === bundle.features.length
 */
export function sampleLead(specs: readonly FeatureSpec[], rng: () => number): (number | null)[] {
  return specs.map((spec) => sampleValue(spec, rng));
}

function sampleValue(spec: FeatureSpec, rng: () => number): number | null {
  const u = rng();
  if (spec.allowMissing && rng() < MISSING_RATE) return null;
  const min = Number.isFinite(spec.min) ? spec.min : Math.min(0, spec.max) - 1000;
  const max = Number.isFinite(spec.max) ? spec.max : Math.max(0, min) + 1000;
  if (spec.kind === 'flag' && min === 0 && max === 1) return u < 0.3 ? 1 : 0;
  // Skew towards small values, as real counts and amounts are: most leads do little.
  const skew = spec.kind === 'count' || spec.kind === 'amount' || spec.kind === 'days' ? u ** 4 : u;
  const span = max - min;
  if (spec.integer)
    return Math.min(Math.floor(max), Math.ceil(min) + Math.floor(skew * (Math.floor(max) - Math.ceil(min) + 1)));
  return Math.min(max, Math.max(min, Math.round((min + skew * span) * 1e4) / 1e4));
}

/**
 * The smallest valid value (0 when unbounded below) of every feature that may not be missing, by name:
 * the least a named-form lead must carry.
 *
 * @example { leads: [{ features: { ...requiredFeatureValues(specs), web_visits_30d: 12 } }] }
 */
export function requiredFeatureValues(specs: readonly FeatureSpec[]): Record<string, number> {
  return Object.fromEntries(
    specs
      .filter((s) => !s.allowMissing)
      .map((s) => [s.name, Number.isFinite(s.min) ? (s.integer ? Math.ceil(s.min) : s.min) : Math.min(0, s.max)]),
  );
}
