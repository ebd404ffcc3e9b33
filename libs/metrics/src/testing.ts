/**
 * Test helpers for the observability libs' tests (imported as `@lead-scoring/metrics/testing`): score events over
 * random valid leads of the demo model. Not part of the runtime API.
 */
import { mulberry32, sampleLead } from '@lead-scoring/feature-schema/testing';
import { demoFeatures } from '@lead-scoring/model-bundle/testing';
import type { ScoredEvent } from './scored-event';

/** The demo model's features: the feature columns of these tests' events. */
export const SPECS = demoFeatures();
export const FEATURE_NAMES: readonly string[] = SPECS.map((s) => s.name);
export const NUM_FEATURES = FEATURE_NAMES.length;

/** `n` random valid rows as one row-major Float32Array (NaN = missing). */
export function sampleRows(n: number, seed: number): Float32Array {
  const rng = mulberry32(seed);
  const x = new Float32Array(n * NUM_FEATURES);
  for (let r = 0; r < n; r++) {
    const row = sampleLead(SPECS, rng);
    for (let f = 0; f < NUM_FEATURES; f++) x[r * NUM_FEATURES + f] = row[f] ?? NaN;
  }
  return x;
}

/** A deterministic score 1..5 per row position (independent of the features, so a feature shift leaves it alone). */
export function scoreOf(_x: Float32Array, row: number): 1 | 2 | 3 | 4 | 5 {
  return (((row * 7) % 5) + 1) as 1 | 2 | 3 | 4 | 5;
}

/** A score event over rows [from, from + n) of `x`. */
export function eventOf(x: Float32Array, from: number, n: number, overrides: Partial<ScoredEvent> = {}): ScoredEvent {
  const slice = x.slice(from * NUM_FEATURES, (from + n) * NUM_FEATURES);
  const results = Array.from({ length: n }, (_, i) => {
    const score = scoreOf(x, from + i);
    const probabilities = [0.1, 0.1, 0.1, 0.1, 0.1];
    probabilities[score - 1] = 0.6;
    return { score, probabilities };
  });
  return {
    requestId: `req-${from}`,
    route: '/score',
    status: 200,
    latencyMs: 4,
    modelMs: 1,
    degraded: false,
    model: { name: 'demo', version: '1.0.0' },
    x: slice,
    nRows: n,
    results,
    leadIds: results.map((_, i) => `lead-${from + i}`),
    ts: Date.UTC(2024, 4, 1, 7, 30) + from,
    ...overrides,
  };
}

/** A logger that records its calls. */
export function fakeLogger(): { warn: jest.Mock; error: jest.Mock } {
  return { warn: jest.fn(), error: jest.fn() };
}
