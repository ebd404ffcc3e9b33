/**
 * Lambda-only door of the metrics lib (`@lead-scoring/metrics/emf`): CloudWatch EMF documents, one per invocation,
 * kept apart from index.ts so the local server never loads it.
 */
export {
  EmfRecorder,
  EMF_NAMESPACE,
  EMF_MAX_FEATURE_METRICS,
  type EmfRecorderOptions,
  type EmfLakeObserver,
} from './emf';
