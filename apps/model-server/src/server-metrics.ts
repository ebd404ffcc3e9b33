import { createMetrics, type LeadScoringMetrics, type ScoredResult } from '@lead-scoring/observability';
import { collectDefaultMetrics } from 'prom-client';

export type { LeadScoringMetrics } from '@lead-scoring/observability';

/** Route label of the Runtime API path: a template, so endpoint names never become label values. */
export const RUNTIME_ROUTE = '/endpoints/{name}/invocations';

/**
 * The series the model server measures. The shared metric set also has scores, probabilities, fallbacks,
 * the circuit breaker, the lake and drift: none exists here, so they are unregistered rather than exported as zeros.
 */
const SERVED = new Set(['lead_scoring_requests_total', 'lead_scoring_request_latency_ms', 'lead_scoring_model_latency_ms', 'lead_scoring_batch_size']);

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
export function createModelServerMetrics(cfg: { metrics: boolean }, opts: { processMetrics?: boolean } = {}): LeadScoringMetrics | null {
  if (!cfg.metrics) return null;
  const metrics = createMetrics({ featureNames: [], processMetrics: false });
  for (const m of metrics.registry.getMetricsAsArray()) {
    if (!SERVED.has(m.name)) metrics.registry.removeSingleMetric(m.name);
  }
  if (opts.processMetrics ?? true) collectDefaultMetrics({ register: metrics.registry, prefix: 'lead_scoring_' });
  return metrics;
}
