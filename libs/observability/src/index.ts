export { ObservabilityError, ObservabilityErrorCode, LakeSinkError } from './errors';
export type { ScoredEvent, ScoredResult, FlaggedValue, ObsLogger, LakeObserver } from './scored-event';
export { createMetrics, LATENCY_BUCKETS_MS, type LeadScoringMetrics, type MetricsOptions } from './metrics';
export { serveClusterMetrics, clusterMetricsSource } from './metrics-cluster';
export { lakeRecordsFromEvent, toJsonLine, LAKE_META_COLUMNS, type LakeRecord } from './lake-record';
export type { LakeSink } from './lake-sink';
export { BufferedLakeWriter, type BufferedLakeWriterOptions, type LakeWriterStats } from './buffered-lake-writer';
export { ParquetSink, partitionOf, type ParquetSinkOptions } from './parquet-sink';
export { parseBaseline, DriftBaselineSchema, type DriftBaseline, type FeatureBaseline } from './baseline';
export { psi, binSlot, compileFeatureBins, PSI_EPSILON, PSI_WATCH, PSI_ALERT } from './psi';
export { DriftAccumulator, type DriftSnapshot, type FeatureDrift } from './drift-accumulator';
export { DriftMonitor, type DriftMonitorOptions } from './drift-monitor';
export { listLakeFiles, readLakeColumns, type LakeFile } from './lake-reader';
export { buildDriftReport, formatDriftTable, driftLevel, type DriftReport, type DriftLevel, type DriftReportOptions } from './drift-report';
export { renderDriftHtml } from './drift-report-html';

/**
 * The Lambda-only part (EmfRecorder, FirehoseSink, flushObservability, withFlushBeforeReturn), loaded on
 * first call so the local server never loads Powertools Metrics or the Firehose client.
 *
 * @example
 * const { EmfRecorder, FirehoseSink } = loadLambdaObservability();
 */
export function loadLambdaObservability(): typeof import('./lambda') {
  return require('./lambda') as typeof import('./lambda');
}
export type * from './lambda';
