import { LAKE_FEATURES_MAP_COLUMN, LAKE_META_COLUMNS } from '@lead-scoring/lake-schema';

export { LAKE_META_COLUMNS };

/**
 * One scored lead in the data lake, as the sinks of the buffered writer take it (the Lambda's Firehose path).
 * The feature values stay a float32 array in the model's column order (NaN = missing).
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
  /** The shadow model's result for the lead: all four null when no shadow model scored it. */
  readonly shadow_model_version: string | null;
  readonly shadow_score: number | null;
  readonly shadow_probabilities: readonly number[] | null;
  readonly shadow_probability: number | null;
  /** One value per model feature, in column order, NaN = missing. */
  readonly features: Float32Array;
}

/**
 * The record as one JSON object (the Firehose / Glue row): the record columns of the lake schema in order, `ts` as
 * ISO-8601, then the features as one `features` object of name to value (a Glue `map<string,double>`, so one table
 * holds every model's features), a missing value left out.
 *
 * @example
 * toJsonLine(rec, names); // '{"request_id":"r1",...,"features":{"company_employees":120,...}}\n'
 */
export function toJsonLine(rec: LakeRecord, names: readonly string[]): string {
  const row: Record<string, unknown> = {};
  for (const c of LAKE_META_COLUMNS) row[c] = c === 'ts' ? new Date(rec.ts).toISOString() : rec[c];
  const features: Record<string, number> = {};
  for (let f = 0; f < names.length; f++) {
    const v = rec.features[f]!;
    if (Number.isFinite(v)) features[names[f]!] = v;
  }
  row[LAKE_FEATURES_MAP_COLUMN.name] = features;
  return `${JSON.stringify(row)}\n`;
}
