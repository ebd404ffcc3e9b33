export {
  LAKE_RECORD_COLUMNS,
  LAKE_META_COLUMNS,
  LAKE_FEATURES_MAP_COLUMN,
  LAKE_FEATURE_PARQUET_TYPE,
  lakeParquetColumns,
  type LakeColumn,
  type FeatureColumn,
  type LakeParquetType,
  type LakeRecordColumnName,
} from './lake-schema';
