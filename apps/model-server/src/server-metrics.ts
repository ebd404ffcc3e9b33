import { createMetrics, type LeadScoringMetrics, type ScoredResult } from '@lead-scoring/metrics';

export type { LeadScoringMetrics } from '@lead-scoring/metrics';

/** Route label of the Runtime API path: a template, so endpoint names never become label values. */
export const RUNTIME_ROUTE = '/endpoints/{name}/invocations';

const KNOWN_ROUTES: ReadonlySet<string> = new Set(['/ping', '/invocations', '/execution-parameters', '/metrics']);

/**
 * The model server answers raw predictions, not 1-5 scores: its scored events carry no per-row results,
 * so no score or probability series is fed (no fake values, no per-row objects on the hot path).
 */
export const NO_RESULTS: readonly ScoredResult[] = Object.freeze([]);

/**
 * The `route` label of a request path: a known route, the Runtime API template, or `other`.
 * Never the raw path, so label cardinality stays bounded whatever clients send.
 *
 * @example
 * routeLabel('/endpoints/my-endpoint/invocations', true) // '/endpoints/{name}/invocations'
 * routeLabel('/favicon.ico', false) // 'other'
 */
export function routeLabel(path: string, runtime: boolean): string {
  if (runtime) return RUNTIME_ROUTE;
  return KNOWN_ROUTES.has(path) ? path : 'other';
}

/**
 * The model server's Prometheus metrics (`METRICS=on`, the default) in a fresh prom-client registry, or
 * `null` when switched off (then `GET /metrics` is a 404 and requests record nothing): requests by route and
 * status, request and model latency, batch size, plus Node process metrics unless `processMetrics` is false.
 * No feature names and no drift window: the model server serves any XGBoost model, not the lead schema.
 *
 * @example
 * const metrics = createModelServerMetrics(readConfig());
 */
export function createModelServerMetrics(
  cfg: { metrics: boolean },
  opts: { processMetrics?: boolean } = {},
): LeadScoringMetrics | null {
  if (!cfg.metrics) return null;
  // Scores, probabilities, fallbacks, circuit, lake and drift do not exist here: `scoring: false` leaves them out
  // rather than exporting zeros.
  return createMetrics({ featureNames: [], scoring: false, processMetrics: opts.processMetrics ?? true });
}
