import type { ColumnSource, SchemaElement } from 'hyparquet-writer';
import { LakeChunk, type LakeRecord } from './lake-record';

/**
 * Parquet schema of a lake file. Standard types only, so DuckDB, pyarrow, Spark and Athena read it:
 * UTF8 strings, TIMESTAMP_MILLIS, INT32 score, a 3-level LIST<DOUBLE> for probabilities, FLOAT
 * features (exactly the float32 the model saw), all nullable where a value can be missing.
 */
export function lakeSchema(names: readonly string[]): SchemaElement[] {
  return [
    { name: 'root', num_children: 10 + names.length },
    { name: 'request_id', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
    { name: 'lead_id', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
    { name: 'ts', type: 'INT64', converted_type: 'TIMESTAMP_MILLIS', repetition_type: 'REQUIRED' },
    { name: 'model_name', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
    { name: 'model_version', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
    { name: 'score', type: 'INT32', repetition_type: 'REQUIRED' },
    { name: 'probabilities', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
    { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
    { name: 'element', type: 'DOUBLE', repetition_type: 'REQUIRED' },
    { name: 'probability', type: 'DOUBLE', repetition_type: 'OPTIONAL' },
    { name: 'latency_ms', type: 'DOUBLE', repetition_type: 'REQUIRED' },
    { name: 'degraded', type: 'BOOLEAN', repetition_type: 'REQUIRED' },
    ...names.map((name): SchemaElement => ({ name, type: 'FLOAT', repetition_type: 'OPTIONAL' })),
  ];
}

/**
 * A batch of lake records in columnar form: typed arrays (transferable to a worker thread without a
 * copy) plus the string columns. NaN stands for null in the numeric columns.
 */
export interface PackedBatch {
  readonly n: number;
  readonly requestId: string[];
  readonly leadId: (string | null)[];
  readonly modelName: string[];
  readonly modelVersion: string[];
  readonly ts: Float64Array;
  readonly score: Int32Array;
  /** `n * probWidth` values; row i has `probLen[i]` of them, 0 = null. */
  readonly probs: Float64Array;
  readonly probLen: Uint8Array;
  readonly probWidth: number;
  readonly probability: Float64Array;
  readonly latency: Float64Array;
  readonly degraded: Uint8Array;
  /** `n * features` float32, row-major. */
  readonly features: Float32Array;
  readonly width: number;
}

/** Packs records into columns (one pass, no per-row allocation), in buffers of their own (transferable). */
export function packRecords(records: readonly LakeRecord[], width: number): PackedBatch {
  let probWidth = 0;
  for (const r of records) probWidth = Math.max(probWidth, r.probabilities?.length ?? 0);
  const chunk = new LakeChunk(records.length, width, probWidth, { shared: false });
  for (const r of records) chunk.addRecord(r);
  return chunk.packed();
}

const orNull = (v: number): number | null => (v === v ? v : null);

/**
 * Column arrays for hyparquet-writer (NaN becomes null). Unique or numeric columns are PLAIN-encoded:
 * the writer's dictionary trial costs more CPU than it saves bytes on them (bench/parquet-cost.ts).
 */
export function packedColumns(p: PackedBatch, names: readonly string[]): ColumnSource[] {
  const n = p.n;
  const ts = new Array<Date>(n);
  const probabilities = new Array<number[] | null>(n);
  const probability = new Array<number | null>(n);
  const degraded = new Array<boolean>(n);
  for (let i = 0; i < n; i++) {
    ts[i] = new Date(p.ts[i]!);
    const len = p.probLen[i]!;
    probabilities[i] = len > 0 ? Array.from(p.probs.subarray(i * p.probWidth, i * p.probWidth + len)) : null;
    probability[i] = orNull(p.probability[i]!);
    degraded[i] = p.degraded[i] === 1;
  }
  const plain = 'PLAIN' as const;
  const columns: ColumnSource[] = [
    { name: 'request_id', data: p.requestId },
    { name: 'lead_id', data: p.leadId, encoding: plain },
    { name: 'ts', data: ts, encoding: plain },
    { name: 'model_name', data: p.modelName },
    { name: 'model_version', data: p.modelVersion },
    { name: 'score', data: p.score },
    { name: 'probabilities', data: probabilities, encoding: plain },
    { name: 'probability', data: probability, encoding: plain },
    { name: 'latency_ms', data: p.latency },
    { name: 'degraded', data: degraded },
  ];
  for (let f = 0; f < names.length; f++) {
    const col = new Array<number | null>(n);
    for (let i = 0; i < n; i++) col[i] = orNull(p.features[i * p.width + f]!);
    columns.push({ name: names[f]!, data: col, encoding: plain });
  }
  return columns;
}

/** Records to column arrays (packRecords + packedColumns). */
export function lakeColumns(records: readonly LakeRecord[], names: readonly string[]): ColumnSource[] {
  return packedColumns(packRecords(records, names.length), names);
}
