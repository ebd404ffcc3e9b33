/**
 * Lambda-only door of the metrics lib (`@lead-scoring/metrics/emf`): CloudWatch EMF through Powertools Metrics,
 * kept apart from index.ts so the local server never loads Powertools Metrics.
 */
export { EmfRecorder, EMF_NAMESPACE, type EmfRecorderOptions } from './emf';
