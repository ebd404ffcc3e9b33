export { LakeErrorCode, LakeError, LakeSinkError } from './errors';
export { lakeRecordsFromEvent, toJsonLine, LAKE_META_COLUMNS, type LakeRecord } from './lake-record';
export type { LakeSink } from './lake-sink';
export { BufferedLakeWriter, type BufferedLakeWriterOptions, type LakeWriterStats } from './buffered-lake-writer';
export { ParquetSink, partitionOf, type ParquetSinkOptions } from './parquet-sink';
export { listLakeFiles, readLakeColumns, checkDate, type LakeFile } from './lake-reader';
export { backoffDelay, sleep, type RetryPolicy } from './backoff';
