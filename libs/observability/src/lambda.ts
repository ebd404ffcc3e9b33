/**
 * Lambda-only door of the observability lib (`@lead-scoring/observability/lambda`): EMF metrics,
 * the Firehose sink and the flush-before-return wrapper. Kept apart from index.ts so the local server
 * never loads Powertools Metrics or the Firehose client.
 */
export { EmfRecorder, EMF_NAMESPACE, type EmfRecorderOptions } from './emf';
export { FirehoseSink, FIREHOSE_MAX_RECORDS, FIREHOSE_MAX_BYTES, type FirehoseSinkOptions } from './firehose-sink';
export { withFlushBeforeReturn, flushObservability, type FlushBeforeReturnOptions, type RemainingTime } from './lambda-flush';
