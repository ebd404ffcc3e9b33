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

/** Features of buffered records live in shared 1 MiB slabs: no ArrayBuffer per request. */
const SLAB_FLOATS = 1 << 18;
let slab = new Float32Array(SLAB_FLOATS);
let slabUsed = 0;

function slabCopy(src: Float32Array, len: number): { slab: Float32Array; at: number } {
  if (len > SLAB_FLOATS) return { slab: src.slice(0, len), at: 0 };
  if (slabUsed + len > SLAB_FLOATS) {
    slab = new Float32Array(SLAB_FLOATS); // the old slab is freed with the last record that uses it
    slabUsed = 0;
  }
  slab.set(len === src.length ? src : src.subarray(0, len), slabUsed);
  const at = slabUsed;
  slabUsed += len;
  return { slab, at };
}

/**
 * A lake record whose features are a range of a shared slab; the Float32Array view is made on read
 * (at flush), so a buffered record holds no typed-array object of its own (cheap to keep and to GC).
 */
class SlabRecord implements LakeRecord {
  constructor(
    readonly request_id: string,
    readonly lead_id: string | null,
    readonly ts: number,
    readonly model_name: string,
    readonly model_version: string,
    readonly score: number,
    readonly probabilities: readonly number[] | null,
    readonly probability: number | null,
    readonly latency_ms: number,
    readonly degraded: boolean,
    private readonly slab: Float32Array,
    private readonly at: number,
    private readonly width: number,
  ) {}

  get features(): Float32Array {
    return this.slab.subarray(this.at, this.at + this.width);
  }
}

/**
 * Turns a score event into lake records. The features of the whole batch are copied once into a shared
 * slab; each record reads its range of it, so the caller may reuse `x`.
 *
 * @example
 * writer.pushMany(lakeRecordsFromEvent(event));
 */
export function lakeRecordsFromEvent(e: ScoredEvent, width = FEATURE_NAMES.length): LakeRecord[] {
  const n = e.nRows;
  const { slab: s, at } = slabCopy(e.x, n * width);
  const ts = e.ts ?? Date.now();
  const out = new Array<LakeRecord>(n);
  for (let i = 0; i < n; i++) {
    const r = e.results[i];
    out[i] = new SlabRecord(
      e.requestId, e.leadIds?.[i] ?? null, ts, e.model.name, e.model.version, r?.score ?? 0,
      r?.probabilities ?? null, r?.probability ?? null, e.latencyMs, e.degraded, s, at + i * width, width,
    );
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
