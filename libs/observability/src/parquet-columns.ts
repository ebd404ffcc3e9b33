/* eslint-disable @typescript-eslint/no-non-null-assertion -- indexes inside bounds-checked loops over typed arrays; noUncheckedIndexedAccess cannot see the bound */
import { FEATURE_NAMES } from '@lead-scoring/feature-schema';
import type { ColumnSource, SchemaElement } from 'hyparquet-writer';
import type { LakeRecord } from './lake-record';

/**
 * Parquet schema of a lake file. Standard types only, so DuckDB, pyarrow, Spark and Athena read it:
 * UTF8 strings, TIMESTAMP_MILLIS, INT32 score, a 3-level LIST<DOUBLE> for probabilities, FLOAT
 * features (exactly the float32 the model saw), all nullable where a value can be missing.
 */
export function lakeSchema(names: readonly string[] = FEATURE_NAMES): SchemaElement[] {
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
 * Transposes records into the column arrays hyparquet-writer takes (NaN features become null).
 * Unique or numeric columns are PLAIN-encoded: the writer's dictionary trial costs more CPU than it
 * saves bytes on them (4,000 rows: 240 ms default vs ~60 ms, measured with bench/parquet-cost.ts).
 */
export function lakeColumns(records: readonly LakeRecord[], names: readonly string[] = FEATURE_NAMES): ColumnSource[] {
  const n = records.length;
  const requestId = new Array<string>(n);
  const leadId = new Array<string | null>(n);
  const ts = new Array<Date>(n);
  const modelName = new Array<string>(n);
  const modelVersion = new Array<string>(n);
  const score = new Int32Array(n);
  const probabilities = new Array<number[] | null>(n);
  const probability = new Array<number | null>(n);
  const latency = new Float64Array(n);
  const degraded = new Array<boolean>(n);
  const features = names.map(() => new Array<number | null>(n));
  for (let i = 0; i < n; i++) {
    const r = records[i]!;
    requestId[i] = r.request_id;
    leadId[i] = r.lead_id;
    ts[i] = new Date(r.ts);
    modelName[i] = r.model_name;
    modelVersion[i] = r.model_version;
    score[i] = r.score;
    probabilities[i] = r.probabilities ? (r.probabilities as number[]) : null;
    probability[i] = r.probability;
    latency[i] = r.latency_ms;
    degraded[i] = r.degraded;
    const x = r.features;
    for (let f = 0; f < features.length; f++) {
      const v = x[f]!;
      features[f]![i] = v === v ? v : null;
    }
  }
  const plain = 'PLAIN' as const;
  return [
    { name: 'request_id', data: requestId },
    { name: 'lead_id', data: leadId, encoding: plain },
    { name: 'ts', data: ts, encoding: plain },
    { name: 'model_name', data: modelName },
    { name: 'model_version', data: modelVersion },
    { name: 'score', data: score },
    { name: 'probabilities', data: probabilities, encoding: plain },
    { name: 'probability', data: probability, encoding: plain },
    { name: 'latency_ms', data: latency },
    { name: 'degraded', data: degraded },
    ...names.map((name, f): ColumnSource => ({ name, data: features[f]!, encoding: plain })),
  ];
}
