import type { LakeRecord } from '../src';
import { FEATURE_NAMES, NUM_FEATURES } from '@lead-scoring/metrics/testing';

export { FEATURE_NAMES, NUM_FEATURES, SPECS, eventOf, fakeLogger, sampleRows, scoreOf } from '@lead-scoring/metrics/testing';

/** A minimal valid lake record. */
export function record(i: number, ts = Date.UTC(2024, 4, 1, 7, 30)): LakeRecord {
  const features = new Float32Array(NUM_FEATURES).fill(i);
  features[0] = NaN;
  return {
    request_id: `r${i}`, lead_id: i % 2 ? `l${i}` : null, ts, model_name: 'demo', model_version: '1',
    score: (i % 5) + 1, probabilities: [0.2, 0.2, 0.2, 0.2, 0.2], probability: null, latency_ms: 3.5, degraded: false, features,
  };
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
