import type { ModelBundle } from '@lead-scoring/model-bundle';
import type { ObsLogger } from '@lead-scoring/metrics';
import type {
  MetricsSource,
  RecordInfo,
  RequestEvent,
  ScoredEvent,
  ShadowResult,
  ShadowSkip,
} from '@lead-scoring/score-api';
import type { ReadyContext } from './observability-common';
import { createServerObservability } from './server-observability';

/**
 * Where observability plugs into the API: called after each response is sent (`onRequest` for every
 * request, `onScored` for each successful POST /score) and the registry served at GET /metrics.
 * Keep these cheap and non-throwing: they run on the serving process, right after the reply.
 */
export interface ApiHooks {
  onRequest?: (event: RequestEvent) => void;
  onScored?: (event: ScoredEvent) => void;
  /** Local server: durably records a request's scored leads before its 200 leaves (a throw answers 503 LAKE_UNAVAILABLE). */
  record?: (event: ScoredEvent, info: RecordInfo) => void | Promise<void>;
  /** The shadow model's result for a scored request, once the answer has left (metrics, lake). */
  onShadow?: (event: ScoredEvent, result: ShadowResult) => void;
  /** The shadow model will not score a request's leads (it fell behind, failed or stalled). */
  onShadowSkipped?: (event: ScoredEvent, reason: ShadowSkip) => void;
  /** Local server: why leads cannot be recorded now (/ready answers 503 while set), or undefined. */
  unavailable?: () => string | undefined;
  metrics?: MetricsSource;
  /** Called once the scorer is built (drift baseline, circuit state). */
  onReady?: (ctx: ReadyContext) => void;
  /** Local server: seals the lake's spool on shutdown (after in-flight requests finished). */
  close?: () => Promise<void>;
}

/**
 * Builds the hooks of one loaded bundle (its feature names name the lake columns and the drift series); `shadow`
 * says whether a shadow model may run (SHADOW_MODEL_* set), which adds the shadow metrics.
 */
export type HooksFactory = (bundle: ModelBundle, shadow?: boolean) => ApiHooks;

/**
 * The hooks of the local server: Prometheus metrics (all cluster workers), drift, the Parquet lake's spool
 * (see server-observability.ts; METRICS / LAKE / LAKE_* variables).
 *
 * @example
 * const app = createApp(cfg, { bundle, logger, hooks: createServerHooks({ logger, bundle }) });
 */
export function createServerHooks(opts: {
  logger: ObsLogger;
  bundle: ModelBundle;
  shadow?: boolean;
  env?: NodeJS.ProcessEnv;
}): ApiHooks {
  return createServerObservability(opts);
}
