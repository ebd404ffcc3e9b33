/**
 * Lambda-only door of the lake lib (`@lead-scoring/lake/firehose`): the Firehose sink, its S3 fallback and the
 * PutRecordBatch sender, kept apart from index.ts so the local server never loads the AWS SDK.
 */
export { FirehoseSink, type FirehoseSinkOptions, type EncodedRecord, type FirehoseDelivery } from './firehose-sink';
export { FirehoseFallbackSink, type FirehoseFallbackSinkOptions, type LakePlacement } from './firehose-fallback-sink';
export {
  S3FallbackWriter,
  fallbackKey,
  parseS3Prefix,
  type S3FallbackWriterOptions,
  type FallbackObject,
} from './s3-fallback';
export {
  putRecords,
  FIREHOSE_MAX_RECORDS,
  FIREHOSE_MAX_BYTES,
  FIREHOSE_MAX_RECORD_BYTES,
  type FirehoseEntry,
  type PutRecordsOptions,
  type PutRecordsResult,
} from './firehose-put';
export { DeadlineError } from './deadline';
