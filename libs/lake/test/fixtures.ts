import type { ScoredEvent } from '@lead-scoring/metrics';
import type { LakeRecord } from '../src';
import { SpoolWriter } from '../src';
import { LakeKeeper } from '../src/keeper';
import { FEATURE_NAMES, NUM_FEATURES } from '@lead-scoring/metrics/testing';

export {
  FEATURE_NAMES,
  NUM_FEATURES,
  SPECS,
  eventOf,
  fakeLogger,
  sampleRows,
  scoreOf,
} from '@lead-scoring/metrics/testing';

/** The shadow columns of a lead no shadow model scored. */
export const NO_SHADOW = {
  shadow_model_version: null,
  shadow_score: null,
  shadow_probabilities: null,
  shadow_probability: null,
} as const;

/** A minimal valid lake record. */
export function record(i: number, ts = Date.UTC(2024, 4, 1, 7, 30)): LakeRecord {
  const features = new Float32Array(NUM_FEATURES).fill(i);
  features[0] = NaN;
  return {
    request_id: `r${i}`,
    lead_id: i % 2 ? `l${i}` : null,
    ts,
    model_name: 'demo',
    model_version: '1',
    score: (i % 5) + 1,
    probabilities: [0.2, 0.2, 0.2, 0.2, 0.2],
    probability: null,
    latency_ms: 3.5,
    degraded: false,
    ...NO_SHADOW,
    features,
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
      model_name: 'demo',
      model_version: i < 10 ? '1' : '2.0.0-β',
      score: (i % 5) + 1,
      probabilities: kind === 0 ? [0.1, 0.2, 0.3, 0.4] : kind === 1 ? [1] : null,
      probability: kind === 2 ? i / (n + 1) : null,
      latency_ms: i * 0.5 + 0.125,
      degraded: i % 7 === 3,
      ...NO_SHADOW,
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
    // Stored as float32: the evaluator's probabilities are float32 values already; latency needs no more.
    expect(row['probabilities']).toEqual(r.probabilities?.map(Math.fround) ?? null);
    expect(row['probability']).toBe(r.probability === null ? null : Math.fround(r.probability));
    expect(row['latency_ms']).toBe(Math.fround(r.latency_ms));
    expect(row['degraded']).toBe(r.degraded);
    expect([row['shadow_model_version'], row['shadow_score']]).toEqual([r.shadow_model_version, r.shadow_score]);
    expect(row['shadow_probabilities']).toEqual(r.shadow_probabilities?.map(Math.fround) ?? null);
    expect(row['shadow_probability']).toBe(r.shadow_probability === null ? null : Math.fround(r.shadow_probability));
    FEATURE_NAMES.forEach((name, f) => {
      const v = r.features[f]!;
      expect(row[name]).toBe(Number.isNaN(v) ? null : v);
    });
  });
}

/** A record as the one-lead scored request it came from. */
export function eventOfRecord(r: LakeRecord): ScoredEvent {
  return {
    requestId: r.request_id,
    route: '/score',
    status: 200,
    latencyMs: r.latency_ms,
    modelMs: 1,
    degraded: r.degraded,
    model: { name: r.model_name, version: r.model_version },
    x: r.features,
    nRows: 1,
    ts: r.ts,
    leadIds: [r.lead_id],
    results: [
      {
        score: r.score,
        ...(r.probabilities ? { probabilities: r.probabilities } : {}),
        ...(r.probability === null ? {} : { probability: r.probability }),
      },
    ],
  };
}

/** A logger that keeps quiet. */
export const quiet = { warn: (): void => undefined, error: (): void => undefined };

/** Spools the events as one writer of run `run`, seals the spool, and publishes everything (no retention). */
export async function writeLake(dir: string, events: readonly ScoredEvent[], run = 'test'): Promise<void> {
  const spool = new SpoolWriter({
    dir,
    writer: `${run}-1`,
    featureNames: FEATURE_NAMES,
    sync: 'interval',
    syncMs: 50,
    logger: quiet,
  });
  for (const e of events) void spool.append(e);
  await spool.close();
  const keeper = new LakeKeeper({ dir, run, logger: quiet, retentionDays: 0 });
  await keeper.recover();
  await keeper.cycle({ all: true });
}
