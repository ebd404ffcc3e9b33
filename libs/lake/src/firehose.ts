/**
 * Lambda-only door of the lake lib (`@lead-scoring/lake/firehose`): the Firehose sink, kept apart from index.ts so
 * the local server never loads the Firehose client.
 */
export { FirehoseSink, FIREHOSE_MAX_RECORDS, FIREHOSE_MAX_BYTES, type FirehoseSinkOptions } from './firehose-sink';
