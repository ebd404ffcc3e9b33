import { demoFeatures } from '@lead-scoring/model-bundle/testing';
import { mulberry32, sampleLead } from '@lead-scoring/feature-schema/testing';
import type { DriftBaseline, LakeRecord, ScoredEvent } from '../src';

/** The demo model's features: the lake's feature columns in these tests. */
export const SPECS = demoFeatures();
export const FEATURE_NAMES: readonly string[] = SPECS.map((s) => s.name);
export const NUM_FEATURES = FEATURE_NAMES.length;
import { binSlot } from '../src';

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
    requestId: `req-${from}`, route: '/score', status: 200, latencyMs: 4, modelMs: 1, degraded: false,
    model: { name: 'demo', version: '1.0.0' }, x: slice, nRows: n, results,
    leadIds: results.map((_, i) => `lead-${from + i}`), ts: Date.UTC(2024, 4, 1, 7, 30) + from, ...overrides,
  };
}

/** A minimal valid lake record. */
export function record(i: number, ts = Date.UTC(2024, 4, 1, 7, 30)): LakeRecord {
  const features = new Float32Array(NUM_FEATURES).fill(i);
  features[0] = NaN;
  return {
    request_id: `r${i}`, lead_id: i % 2 ? `l${i}` : null, ts, model_name: 'demo', model_version: '1',
    score: (i % 5) + 1, probabilities: [0.2, 0.2, 0.2, 0.2, 0.2], probability: null, latency_ms: 3.5, degraded: false, features,
  };
}

/** A logger that records its calls. */
export function fakeLogger(): { warn: jest.Mock; error: jest.Mock } {
  return { warn: jest.fn(), error: jest.fn() };
}

/** Records exercising every null / list / boolean / unicode case, plus long runs of equal levels. */
export function mixedRecords(n: number): LakeRecord[] {
  return Array.from({ length: n }, (_, i) => {
    const features = new Float32Array(NUM_FEATURES);
    for (let f = 0; f < NUM_FEATURES; f++) features[f] = (i * 7 + f) % 11 === 0 ? NaN : i * 0.25 - f;
    if (i >= 200 && i < 400) features[3] = NaN; // a 200-long null run (multi-byte RLE header)
    const kind = i % 3;
    return {
      request_id: i % 5 === 0 ? `réq-✓-${i}` : `r${i}`,
      lead_id: i % 4 === 0 ? null : i % 4 === 1 ? '' : `lead-${i}`,
      ts: Date.UTC(2024, 4, 1, 7, 30) + i * 1001,
      model_name: 'demo', model_version: i < 10 ? '1' : '2.0.0-β',
      score: (i % 5) + 1,
      probabilities: kind === 0 ? [0.1, 0.2, 0.3, 0.4] : kind === 1 ? [1] : null,
      probability: kind === 2 ? i / (n + 1) : null,
      latency_ms: i * 0.5 + 0.125,
      degraded: i % 7 === 3,
      features,
    };
  });
}

/** Asserts that rows read back from a lake file (any reader: hyparquet, DuckDB) are the records, field by field. */
export function expectRowsOf(rows: readonly Record<string, unknown>[], records: readonly LakeRecord[]): void {
  expect(rows).toHaveLength(records.length);
  records.forEach((r, i) => {
    const row = rows[i]!;
    expect(row['request_id']).toBe(r.request_id);
    expect(row['lead_id']).toBe(r.lead_id);
    expect((row['ts'] as Date).getTime()).toBe(r.ts);
    expect([row['model_name'], row['model_version'], row['score']]).toEqual([r.model_name, r.model_version, r.score]);
    expect(row['probabilities']).toEqual(r.probabilities);
    expect(row['probability']).toBe(r.probability);
    expect(row['latency_ms']).toBe(r.latency_ms);
    expect(row['degraded']).toBe(r.degraded);
    FEATURE_NAMES.forEach((name, f) => {
      const v = r.features[f]!;
      expect(row[name]).toBe(Number.isNaN(v) ? null : v);
    });
  });
}
