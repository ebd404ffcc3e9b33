import { LAKE_FEATURES_MAP_COLUMN, LAKE_RECORD_COLUMNS } from '@lead-scoring/lake-schema';

/** One Glue (Hive) column. */
export interface GlueColumn {
  readonly name: string;
  readonly type: string;
  readonly comment?: string;
}

/** The record columns of the lake with their Hive types, from the one lake schema (`@lead-scoring/lake-schema`). */
export const LAKE_META_GLUE_COLUMNS: readonly GlueColumn[] = LAKE_RECORD_COLUMNS.map((c) => ({
  name: c.name,
  type: c.glue,
  ...('comment' in c ? { comment: c.comment } : {}),
}));

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
  name: LAKE_FEATURES_MAP_COLUMN.name,
  type: LAKE_FEATURES_MAP_COLUMN.glue,
  comment: LAKE_FEATURES_MAP_COLUMN.comment,
};

/**
 * The lake table's columns: the record columns, then the `features` map.
 *
 * @example
 * lakeGlueColumns().length; // 15
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
