import type { FirehoseClient } from '@aws-sdk/client-firehose';
import type { ObsLogger } from '@lead-scoring/metrics';
import type { ModelBundle } from '@lead-scoring/model-bundle';
import type { Scorer } from '@lead-scoring/scoring-client';
import type { ApiHooks } from './hooks';
import { flushObservability } from './lambda-flush';
import { circuitOpen, createWriter, type ReadyContext } from './observability-common';
import { loadObservabilityConfig } from './observability-config';

/**
 * Hooks of the Lambda handler: CloudWatch EMF metrics and Firehose lake writes. `flush()` runs at the
 * end of every invocation, before the handler returns (Lambda freezes the environment afterwards):
 * it sends the invocation's records within LAKE_FLUSH_BUDGET_MS and the remaining time, then
 * publishes the EMF blob. Powertools Metrics and the Firehose client load only here.
 *
 * @example
 * const hooks = createLambdaObservability({ logger, bundle });
 */
export function createLambdaObservability(opts: { logger: ObsLogger; bundle: ModelBundle; env?: NodeJS.ProcessEnv; firehose?: FirehoseClient }): ApiHooks {
  const cfg = loadObservabilityConfig(opts.env ?? process.env, 'lambda');
  // Loaded here only: the local server never needs Powertools Metrics or the Firehose client.
  const { EmfRecorder } = require('@lead-scoring/metrics/emf') as typeof import('@lead-scoring/metrics/emf');
  const { FirehoseSink } = require('@lead-scoring/lake/firehose') as typeof import('@lead-scoring/lake/firehose');
  const names = opts.bundle.contract.names;
  const emf = cfg.metrics ? new EmfRecorder({ serviceName: 'lead-scoring-api' }) : null;
  const sink = cfg.lake === 'firehose' && cfg.firehoseStream
    ? new FirehoseSink({ streamName: cfg.firehoseStream, featureNames: names, ...(opts.firehose ? { client: opts.firehose } : {}) })
    : null;
  const writer = sink ? createWriter(sink, emf?.lakeObserver, { ...cfg, logger: opts.logger, featureWidth: names.length }) : null;
  let scorer: Scorer | null = null;
  return {
    ...(emf ? { onRequest: (e) => emf.recordRequest(e.route, e.status, e.totalMs) } : {}),
    ...(emf || writer
      ? {
          onScored: (e) => {
            emf?.recordScored(e);
            if (writer) writer.pushEvent(e);
          },
        }
      : {}),
    onReady: (ctx: ReadyContext) => {
      scorer = ctx.scorer;
    },
    flush: async (remainingMs?: number) => {
      if (emf && scorer && 'circuitState' in scorer) emf.setCircuitOpen(circuitOpen(scorer));
      await flushObservability({ writer, emf, budgetMs: cfg.flushBudgetMs, logger: opts.logger }, remainingMs);
    },
  };
}
