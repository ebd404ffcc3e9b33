import type { PackedBatch } from './parquet-columns';
import type { ScoredEvent } from '@lead-scoring/metrics';
import { ByteRunsBuilder } from './byte-runs';
import { packedWithByteRuns } from './string-runs';

/**
 * One scored lead in the data lake. In memory the feature values stay a float32 view in the model's
 * column order (NaN = missing) to keep the hot path cheap; the Parquet sink writes them as one column per
 * feature, named as the model names them, the Firehose sink as a `features` map.
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
  /** One value per model feature, in column order, NaN = missing. */
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
export function lakeRecordsFromEvent(e: ScoredEvent, width: number): LakeRecord[] {
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

/**
 * The record as one JSON object (the Firehose / Glue row): ISO `ts`, and the features as one `features` object
 * of name to value (a Glue `map<string,double>`, so one table holds every model's features), a missing value
 * left out.
 *
 * @example
 * toJsonLine(rec, names); // '{"request_id":"r1",...,"features":{"company_employees":120,...}}\n'
 */
export function toJsonLine(rec: LakeRecord, names: readonly string[]): string {
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
  const features: Record<string, number> = {};
  for (let f = 0; f < names.length; f++) {
    const v = rec.features[f]!;
    if (Number.isFinite(v)) features[names[f]!] = v;
  }
  row['features'] = features;
  return `${JSON.stringify(row)}\n`;
}

/** Row `i` of a packed batch as a standalone record (its own copy of the features); used off the request path. */
export function packedRecord(p: PackedBatch, i: number): LakeRecord {
  const len = p.probLen[i]!;
  const prob = p.probability[i]!;
  return {
    request_id: p.requestId[i]!, lead_id: p.leadId[i] ?? null, ts: p.ts[i]!, model_name: p.modelName[i]!,
    model_version: p.modelVersion[i]!, score: p.score[i]!,
    probabilities: len > 0 ? Array.from(p.probs.subarray(i * p.probWidth, i * p.probWidth + len)) : null,
    probability: prob === prob ? prob : null, latency_ms: p.latency[i]!, degraded: p.degraded[i] === 1,
    features: p.features.slice(i * p.width, (i + 1) * p.width),
  };
}

/**
 * Preallocated columns for up to `capacity` lake rows: the request path copies a scored event's fields
 * straight into typed arrays (no object per lead); at flush the chunk is handed to the sink as a
 * {@link PackedBatch} (views, no copy).
 */
export class LakeChunk {
  n = 0;
  /** Set when a flush takes the chunk: later rows go to a new chunk. */
  sealed = false;
  /**
   * The string columns as runs (one entry per request for the request id, model name and version), held as
   * bytes: no pointer store per row, and no request's strings kept alive until the flush (both made every
   * scavenge slower).
   */
  private readonly requestId = new ByteRunsBuilder();
  private readonly leadId = new ByteRunsBuilder();
  private readonly modelName = new ByteRunsBuilder();
  private readonly modelVersion = new ByteRunsBuilder();
  readonly ts: Float64Array;
  readonly score: Int32Array;
  readonly probs: Float64Array;
  readonly probLen: Uint8Array;
  readonly probability: Float64Array;
  readonly latency: Float64Array;
  readonly degraded: Uint8Array;
  readonly features: Float32Array;

  /**
   * `shared` (default): shared memory, which the Parquet worker reads in place (no copy, no transfer);
   * the writer reuses its chunks, so steady load allocates no new external memory (which drives full GCs).
   */
  constructor(readonly capacity: number, readonly width: number, readonly probWidth: number, opts: { shared?: boolean } = {}) {
    const useShared = opts.shared ?? true;
    const shared = <T>(make: new (b: ArrayBufferLike) => T, bytesPer: number, len: number): T => {
      const bytes = Math.max(1, len) * bytesPer;
      return new make(useShared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
    };
    this.ts = shared(Float64Array, 8, capacity);
    this.score = shared(Int32Array, 4, capacity);
    this.probs = shared(Float64Array, 8, capacity * probWidth);
    this.probLen = shared(Uint8Array, 1, capacity);
    this.probability = shared(Float64Array, 8, capacity);
    this.latency = shared(Float64Array, 8, capacity);
    this.degraded = shared(Uint8Array, 1, capacity);
    this.features = shared(Float32Array, 4, capacity * width);
  }

  /** Empties the chunk for reuse (once its batch is delivered or given up). */
  reset(): void {
    this.n = 0;
    this.sealed = false;
    for (const r of [this.requestId, this.leadId, this.modelName, this.modelVersion]) r.clear();
  }

  get free(): number {
    return this.capacity - this.n;
  }

  /** Appends rows `from .. from + count - 1` of an event (the caller checked `free` and `probWidth`). */
  addEvent(e: ScoredEvent, from: number, count: number, ts: number): void {
    const w = this.width;
    const pw = this.probWidth;
    const at = this.n;
    const src = e.x.subarray(from * w, (from + count) * w);
    this.features.set(src, at * w);
    if (src.length < count * w) this.features.fill(NaN, at * w + src.length, (at + count) * w);
    this.requestId.push(e.requestId, count);
    this.modelName.push(e.model.name, count);
    this.modelVersion.push(e.model.version, count);
    const ids = e.leadIds;
    if (ids) for (let k = 0; k < count; k++) this.leadId.push(ids[from + k] ?? null, 1);
    else this.leadId.push(null, count);
    for (let k = 0; k < count; k++) {
      const i = at + k;
      const r = e.results[from + k];
      this.ts[i] = ts;
      this.score[i] = r?.score ?? 0;
      const pr = r?.probabilities;
      if (pr) {
        this.probLen[i] = pr.length;
        for (let j = 0; j < pr.length; j++) this.probs[i * pw + j] = pr[j]!;
      } else this.probLen[i] = 0;
      this.probability[i] = r?.probability ?? NaN;
      this.latency[i] = e.latencyMs;
      this.degraded[i] = e.degraded ? 1 : 0;
    }
    this.n = at + count;
  }

  /** Appends one record (the caller checked `free` and `probWidth`). */
  addRecord(r: LakeRecord): void {
    const i = this.n++;
    const w = this.width;
    this.requestId.push(r.request_id, 1);
    this.leadId.push(r.lead_id, 1);
    this.modelName.push(r.model_name, 1);
    this.modelVersion.push(r.model_version, 1);
    this.ts[i] = r.ts;
    this.score[i] = r.score;
    const pr = r.probabilities;
    this.probLen[i] = pr?.length ?? 0;
    if (pr) for (let j = 0; j < pr.length; j++) this.probs[i * this.probWidth + j] = pr[j]!;
    this.probability[i] = r.probability ?? NaN;
    this.latency[i] = r.latency_ms;
    this.degraded[i] = r.degraded ? 1 : 0;
    const f = r.features;
    this.features.set(f.length <= w ? f : f.subarray(0, w), i * w);
    if (f.length < w) this.features.fill(NaN, i * w + f.length, (i + 1) * w);
  }

  /**
   * The filled rows as a packed batch: typed arrays are views of this chunk's buffers; the string columns
   * come as runs (a copy: the chunk is reused), expanded to per-row arrays only if those are read.
   */
  packed(): PackedBatch {
    const n = this.n;
    return packedWithByteRuns({
      n, width: this.width, probWidth: this.probWidth,
      ts: this.ts.subarray(0, n), score: this.score.subarray(0, n),
      probs: this.probs.subarray(0, n * this.probWidth), probLen: this.probLen.subarray(0, n),
      probability: this.probability.subarray(0, n), latency: this.latency.subarray(0, n),
      degraded: this.degraded.subarray(0, n), features: this.features.subarray(0, n * this.width),
    }, {
      requestId: this.requestId.snapshot(), leadId: this.leadId.snapshot(),
      modelName: this.modelName.snapshot(), modelVersion: this.modelVersion.snapshot(),
    });
  }

  /** The filled rows as standalone records (for sinks that take objects; built at flush). */
  records(): LakeRecord[] {
    const p = this.packed();
    const out = new Array<LakeRecord>(p.n);
    for (let i = 0; i < p.n; i++) out[i] = packedRecord(p, i);
    return out;
  }
}
