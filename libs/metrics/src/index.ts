export type {
  ScoredEvent,
  ScoredResult,
  FlaggedValue,
  ObsLogger,
  LakeObserver,
  ShadowOutcome,
  ShadowSkipReason,
} from './scored-event';
export { flaggedCounts, topProbability } from './scored-event';
export type { DriftSource, FeatureDriftView } from './drift-source';
export {
  createMetrics,
  LATENCY_BUCKETS_MS,
  type LeadScoringMetrics,
  type MetricsOptions,
  type LakeMetricsSource,
} from './metrics';
export { serveClusterMetrics, clusterMetricsSource } from './metrics-cluster';
export { probabilityDistance } from './shadow-compare';
export { SHADOW_DIFF_BUCKETS } from './shadow-metrics';
