/**
 * The lake's columns, defined once. The local Parquet lake, the Firehose JSON line and the Glue table are all
 * derived from this list: the fourteen record columns below, then the model's features (one FLOAT column per feature
 * in local Parquet; one `features` name-to-value map in JSON and in Glue).
 */

/** How a record column is stored in local Parquet. */
export type LakeParquetType = 'string' | 'timestamp_ms' | 'int32' | 'float' | 'list<float>' | 'boolean';

/** One record column of the lake. */
export interface LakeColumn {
  readonly name: string;
  readonly parquet: LakeParquetType;
  /** True when a value may be null (Parquet OPTIONAL). */
  readonly nullable: boolean;
  /** The Hive type of the Glue table. */
  readonly glue: string;
  readonly comment?: string;
}

/**
 * The fourteen record columns, in the order every writer uses: the production result, then the shadow model's
 * result for the same lead (null when no shadow model runs, or when its result did not reach the lake).
 */
export const LAKE_RECORD_COLUMNS = [
  {
    name: 'request_id',
    parquet: 'string',
    nullable: false,
    glue: 'string',
    comment: 'API request id, shared by the leads of one batch',
  },
  {
    name: 'lead_id',
    parquet: 'string',
    nullable: true,
    glue: 'string',
    comment: 'caller-supplied lead id, null when absent',
  },
  { name: 'ts', parquet: 'timestamp_ms', nullable: false, glue: 'timestamp', comment: 'scoring time (UTC)' },
  { name: 'model_name', parquet: 'string', nullable: false, glue: 'string' },
  { name: 'model_version', parquet: 'string', nullable: false, glue: 'string' },
  { name: 'score', parquet: 'int32', nullable: false, glue: 'int', comment: 'lead score 1..5' },
  // float32: the evaluator's probabilities are XGBoost's float32 values, so nothing is lost (4 bytes a value saved).
  {
    name: 'probabilities',
    parquet: 'list<float>',
    nullable: true,
    glue: 'array<float>',
    comment: 'class probabilities (multi-class models), else null',
  },
  {
    name: 'probability',
    parquet: 'float',
    nullable: true,
    glue: 'float',
    comment: 'positive-class probability (binary models), else null',
  },
  { name: 'latency_ms', parquet: 'float', nullable: false, glue: 'float', comment: 'request latency in milliseconds' },
  {
    name: 'degraded',
    parquet: 'boolean',
    nullable: false,
    glue: 'boolean',
    comment: 'true when the fallback scorer answered',
  },
  {
    name: 'shadow_model_version',
    parquet: 'string',
    nullable: true,
    glue: 'string',
    comment: 'version of the shadow model that also scored the lead, else null',
  },
  {
    name: 'shadow_score',
    parquet: 'int32',
    nullable: true,
    glue: 'int',
    comment: "the shadow model's score 1..5, else null",
  },
  {
    name: 'shadow_probabilities',
    parquet: 'list<float>',
    nullable: true,
    glue: 'array<float>',
    comment: "the shadow model's class probabilities (multi-class), else null",
  },
  {
    name: 'shadow_probability',
    parquet: 'float',
    nullable: true,
    glue: 'float',
    comment: "the shadow model's positive-class probability (binary), else null",
  },
] as const satisfies readonly LakeColumn[];

/** A record column's name. */
export type LakeRecordColumnName = (typeof LAKE_RECORD_COLUMNS)[number]['name'];

/** The record columns' names, in order. */
export const LAKE_META_COLUMNS: readonly LakeRecordColumnName[] = LAKE_RECORD_COLUMNS.map((c) => c.name);

/**
 * The features where the table must not change with the model (Firehose JSON, Glue): one map of name to value,
 * a missing value left out.
 */
export const LAKE_FEATURES_MAP_COLUMN = {
  name: 'features',
  glue: 'map<string,double>',
  comment: "the model's input features by name; a missing value has no key",
} as const;

/** The features in local Parquet: one nullable FLOAT column per feature, exactly the float32 the model saw. */
export const LAKE_FEATURE_PARQUET_TYPE = 'float' as const;

/**
 * The local Parquet columns of a model: the record columns, then one column per feature, named as the bundle
 * names them. Throws when a feature name collides with a record column (such a file could not be read by name).
 *
 * @example
 * lakeParquetColumns(['web_visits_30d']).at(-1); // { name: 'web_visits_30d', parquet: 'float', nullable: true }
 */
export function lakeParquetColumns(featureNames: readonly string[]): readonly (LakeColumn | FeatureColumn)[] {
  const taken = new Set<string>(LAKE_META_COLUMNS);
  for (const name of featureNames) {
    if (taken.has(name)) throw new Error(`feature "${name}" collides with a lake column of the same name`);
    taken.add(name);
  }
  return [
    ...LAKE_RECORD_COLUMNS,
    ...featureNames.map((name): FeatureColumn => ({ name, parquet: LAKE_FEATURE_PARQUET_TYPE, nullable: true })),
  ];
}

/** A feature's column in local Parquet. */
export interface FeatureColumn {
  readonly name: string;
  readonly parquet: typeof LAKE_FEATURE_PARQUET_TYPE;
  readonly nullable: true;
}
