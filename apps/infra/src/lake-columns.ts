/** One Glue (Hive) column. */
export interface GlueColumn {
  readonly name: string;
  readonly type: string;
  readonly comment?: string;
}

/**
 * The ten record columns of the lake, in the order the observability lib writes them
 * (`LAKE_META_COLUMNS` in libs/lake/src/lake-record.ts), with their Hive types.
 */
export const LAKE_META_GLUE_COLUMNS: readonly GlueColumn[] = [
  { name: 'request_id', type: 'string', comment: 'API request id, shared by the leads of one batch' },
  { name: 'lead_id', type: 'string', comment: 'caller-supplied lead id, null when absent' },
  { name: 'ts', type: 'timestamp', comment: 'scoring time (UTC)' },
  { name: 'model_name', type: 'string' },
  { name: 'model_version', type: 'string' },
  { name: 'score', type: 'int', comment: 'lead score 1..5' },
  { name: 'probabilities', type: 'array<double>', comment: 'class probabilities (multi-class models), else null' },
  { name: 'probability', type: 'double', comment: 'positive-class probability (binary models), else null' },
  { name: 'latency_ms', type: 'double', comment: 'request latency in milliseconds' },
  { name: 'degraded', type: 'boolean', comment: 'true when the fallback scorer answered' },
];

/** Partition columns; values come from the record's `ts` (see the Firehose metadata extraction query). */
export const LAKE_PARTITION_COLUMNS: readonly GlueColumn[] = [
  { name: 'dt', type: 'string', comment: 'UTC date yyyy-MM-dd of ts' },
  { name: 'hour', type: 'string', comment: 'UTC hour HH of ts' },
];

/**
 * The model's features of each record: name to value, a missing value left out. A map rather than one column
 * per feature, so the table never changes when a bundle with other features is deployed, and the leads of two
 * models (a blue/green canary) sit in the same table: `features['web_visits_30d']` in Athena.
 */
export const LAKE_FEATURES_GLUE_COLUMN: GlueColumn = {
  name: 'features',
  type: 'map<string,double>',
  comment: "the model's input features by name; a missing value has no key",
};

/**
 * The lake table's columns: the record columns, then the `features` map.
 *
 * @example
 * lakeGlueColumns().length; // 11
 */
export function lakeGlueColumns(): GlueColumn[] {
  return [...LAKE_META_GLUE_COLUMNS, LAKE_FEATURES_GLUE_COLUMN];
}

/**
 * Firehose dynamic-partitioning query (jq 1.6). `ts` arrives as ISO-8601 text from the lake sink;
 * epoch milliseconds are accepted too so a producer change cannot send every record to the error prefix.
 */
export const PARTITION_QUERY =
  '(.ts | if type == "number" then (. / 1000 | todate) else . end) as $t | {dt: ($t | .[0:10]), hour: ($t | .[11:13])}';
