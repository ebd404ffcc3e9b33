import type { Context } from 'aws-lambda';

/** A Lambda context as the runtime passes it, with 10 s of the invocation left. */
export const lambdaContext = {
  functionName: 'lead-scoring-api',
  awsRequestId: 'r-1',
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;

/** The handler's environment in AWS: the lake through Firehose, failed records to the lake bucket's `_failed/`. */
export const firehoseLakeEnv = {
  LOG_LEVEL: 'SILENT',
  FIREHOSE_STREAM_NAME: 'lead-scores',
  LAKE_FALLBACK_S3_URI: 's3://lead-scoring-lake-test/_failed/',
};
