import type { ModelBundle } from '@lead-scoring/model-bundle';
import type { ObsLogger } from '@lead-scoring/metrics';
import type { MetricsSource, RequestEvent, ScoredEvent } from '@lead-scoring/score-api';
import { createLambdaObservability } from './lambda-observability';
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
  metrics?: MetricsSource;
  /** Called once the scorer is built (drift baseline, circuit state). */
  onReady?: (ctx: ReadyContext) => void;
  /** Local server: flushes the lake on shutdown (after in-flight requests finished). */
  close?: () => Promise<void>;
  /** Lambda: flushes lake records and EMF metrics before the invocation returns. */
  flush?: (remainingMs?: number) => Promise<void>;
}

/** Builds the hooks of one loaded bundle (its feature names name the lake columns and the drift series). */
export type HooksFactory = (bundle: ModelBundle) => ApiHooks;

/**
 * The hooks of the local server: Prometheus metrics (all cluster workers), drift, Parquet lake
 * (see observability-wiring.ts; METRICS / LAKE / LAKE_DIR variables).
 *
 * @example
 * const app = createApp(cfg, { bundle, logger, hooks: createServerHooks({ logger, bundle }) });
 */
export function createServerHooks(opts: { logger: ObsLogger; bundle: ModelBundle; env?: NodeJS.ProcessEnv }): ApiHooks {
  return createServerObservability(opts);
}

/** The hooks of the Lambda handler: CloudWatch EMF metrics and Firehose lake writes, flushed per invocation. */
export function createLambdaHooks(opts: { logger: ObsLogger; bundle: ModelBundle; env?: NodeJS.ProcessEnv }): ApiHooks {
  return createLambdaObservability(opts);
}
