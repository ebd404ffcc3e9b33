import { FEATURE_NAMES } from '@lead-scoring/feature-schema';
import type { ScoredEvent } from './scored-event';

/**
 * One scored lead in the data lake. In memory the 50 feature values stay a float32 view in
 * FEATURE_NAMES order (NaN = missing) to keep the hot path cheap; every sink writes them as 50 named
 * columns (`company_employees`, ...), null when missing.
 */
export interface LakeRecord {
  readonly request_id: string;
  readonly lead_id: string | null;
  /** Epoch ms; written as a Parquet TIMESTAMP(MILLIS) and as ISO-8601 in JSON. */
  readonly ts: number;
  readonly model_name: string;
  readonly model_version: string;
  readonly score: number;
  /** Class probabilities (multi-class models), else null. */
  readonly probabilities: readonly number[] | null;
  /** Positive-class probability (binary models), else null. */
  readonly probability: number | null;
  /** Request latency, ms (shared by the leads of one batch). */
  readonly latency_ms: number;
  readonly degraded: boolean;
  /** FEATURE_NAMES.length values, FEATURE_NAMES order, NaN = missing. */
  readonly features: Float32Array;
}

/** Column order of the lake: the ten record fields, then the features by name. */
export const LAKE_META_COLUMNS = [
  'request_id', 'lead_id', 'ts', 'model_name', 'model_version', 'score',
  'probabilities', 'probability', 'latency_ms', 'degraded',
] as const;

/**
 * Turns a score event into lake records. The features of the whole batch are copied once (one
 * allocation per request); each record holds a view into that copy, so the caller may reuse `x`.
 *
 * @example
 * writer.pushMany(lakeRecordsFromEvent(event));
 */
export function lakeRecordsFromEvent(e: ScoredEvent, width = FEATURE_NAMES.length): LakeRecord[] {
  const n = e.nRows;
  const copy = e.x.slice(0, n * width);
  const ts = e.ts ?? Date.now();
  const out = new Array<LakeRecord>(n);
  for (let i = 0; i < n; i++) {
    const r = e.results[i];
    out[i] = {
      request_id: e.requestId,
      lead_id: e.leadIds?.[i] ?? null,
      ts,
      model_name: e.model.name,
      model_version: e.model.version,
      score: r?.score ?? 0,
      probabilities: r?.probabilities ?? null,
      probability: r?.probability ?? null,
      latency_ms: e.latencyMs,
      degraded: e.degraded,
      features: copy.subarray(i * width, (i + 1) * width),
    };
  }
  return out;
}

const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

/**
 * The record as one flat JSON object (the Firehose / Glue row): ISO `ts`, features as named keys.
 *
 * @example
 * toJsonLine(rec); // '{"request_id":"r1",...,"company_employees":120,...}\n'
 */
export function toJsonLine(rec: LakeRecord, names: readonly string[] = FEATURE_NAMES): string {
  const row: Record<string, unknown> = {
    request_id: rec.request_id,
    lead_id: rec.lead_id,
    ts: new Date(rec.ts).toISOString(),
    model_name: rec.model_name,
    model_version: rec.model_version,
    score: rec.score,
    probabilities: rec.probabilities,
    probability: rec.probability,
    latency_ms: rec.latency_ms,
    degraded: rec.degraded,
  };
  for (let f = 0; f < names.length; f++) row[names[f]!] = finiteOrNull(rec.features[f]!);
  return `${JSON.stringify(row)}\n`;
}
