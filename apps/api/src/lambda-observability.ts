import type { FirehoseClient } from '@aws-sdk/client-firehose';
import type { S3Client } from '@aws-sdk/client-s3';
import type { ObsLogger, ScoredEvent, ShadowOutcome } from '@lead-scoring/metrics';
import type { ModelBundle } from '@lead-scoring/model-bundle';
import type { ApiResponse } from '@lead-scoring/score-api';
import type { Scorer } from '@lead-scoring/scoring-client';
import { FirehoseFallbackSink, FirehoseSink, S3FallbackWriter } from '@lead-scoring/lake/firehose';
import { EmfRecorder } from '@lead-scoring/metrics/emf';
import type { ApiHooks } from './hooks';
import { flushLake, lakeUnavailable } from './lambda-flush';
import { circuitOpen, createWriter, type ReadyContext } from './observability-common';
import { loadObservabilityConfig } from './observability-config';

/** The Lambda handler's hooks: the API's, and `settle`, the last step of each invocation. */
export interface LambdaHooks extends Omit<ApiHooks, 'flush' | 'close'> {
  /**
   * Runs before the handler returns (Lambda freezes the environment afterwards): places the invocation's lake
   * records, publishes its EMF document, and resolves the answer to give: `res`, or 503 LAKE_UNAVAILABLE when
   * some records could not be placed.
   */
  settle?: (res: ApiResponse, remainingMs?: number) => Promise<ApiResponse>;
}

// The invocation's own flush is the only one: a timer's flush would run without the invocation's deadline.
const NO_TIMER_FLUSH_MS = 3_600_000;
const noop = (): void => undefined;

/**
 * Hooks of the Lambda handler: CloudWatch EMF metrics (one document per invocation) and the lake, Firehose with an
 * S3 fallback (LAKE_FALLBACK_S3_URI) for the records it refuses. Every invocation ends in `settle`: its records
 * go out within LAKE_FLUSH_BUDGET_MS and the remaining time, or the caller gets a 503 instead of the scores.
 * The EMF recorder and the Firehose client load only here, the S3 client only when a fallback write is needed.
 *
 * @example
 * const hooks = createLambdaObservability({ logger, bundle });
 * return toApiGatewayResult(await hooks.settle!(res, context.getRemainingTimeInMillis()));
 */
export function createLambdaObservability(opts: {
  logger: ObsLogger;
  bundle: ModelBundle;
  /** A shadow model runs: each request's lake records wait for its result (or skip) and carry it. */
  shadow?: boolean;
  env?: NodeJS.ProcessEnv;
  firehose?: FirehoseClient;
  s3?: S3Client;
}): LambdaHooks {
  const cfg = loadObservabilityConfig(opts.env ?? process.env, 'lambda');
  const names = opts.bundle.contract.names;
  const emf = cfg.metrics ? new EmfRecorder({ serviceName: 'lead-scoring-api' }) : null;
  const sink =
    cfg.lake === 'firehose' && cfg.firehoseStream
      ? new FirehoseFallbackSink({
          firehose: new FirehoseSink({
            streamName: cfg.firehoseStream,
            featureNames: names,
            ...(opts.firehose ? { client: opts.firehose } : {}),
          }),
          fallback: cfg.fallbackS3Uri
            ? new S3FallbackWriter({ uri: cfg.fallbackS3Uri, ...(opts.s3 ? { client: opts.s3 } : {}) })
            : null,
        })
      : null;
  // The writer only buffers: the sink never rejects, and flushLake counts where the records went.
  const observer = emf ? { written: noop, failed: noop, dropped: emf.lakeObserver.dropped } : undefined;
  const writer = sink
    ? createWriter(sink, observer, {
        ...cfg,
        flushIntervalMs: NO_TIMER_FLUSH_MS,
        logger: opts.logger,
        featureWidth: names.length,
      })
    : null;
  let scorer: Scorer | null = null;
  // Requests whose lake records wait for the shadow result; `settle` sends any still waiting without it.
  const waiting = new Set<ScoredEvent>();
  const place = (e: ScoredEvent, r: ShadowOutcome | null): void => {
    if (writer && waiting.delete(e)) writer.pushEvent(e, r);
  };
  return {
    ...(emf ? { onRequest: (e) => emf.recordRequest(e.route, e.status, e.totalMs) } : {}),
    ...(emf || writer
      ? {
          onScored: (e) => {
            emf?.recordScored(e);
            if (writer && opts.shadow) waiting.add(e);
            else if (writer) writer.pushEvent(e);
          },
        }
      : {}),
    ...(opts.shadow
      ? {
          onShadow: (e, r) => {
            emf?.recordShadow(e, r);
            place(e, r);
          },
          onShadowSkipped: (e) => {
            emf?.recordShadowSkipped(e.nRows);
            place(e, null);
          },
        }
      : {}),
    onReady: (ctx: ReadyContext) => {
      scorer = ctx.scorer;
    },
    settle: async (res, remainingMs) => {
      if (emf && scorer && 'circuitState' in scorer) emf.setCircuitOpen(circuitOpen(scorer));
      let answer = res;
      for (const e of waiting) place(e, null);
      if (writer && sink) {
        const placed = await flushLake(
          { writer, sink, observer: emf?.lakeObserver ?? null, budgetMs: cfg.flushBudgetMs, logger: opts.logger },
          remainingMs,
        );
        if (placed.unplaced > 0) {
          answer = lakeUnavailable(res);
          emf?.setStatus(answer.status);
        }
      }
      emf?.publish();
      return answer;
    },
  };
}
