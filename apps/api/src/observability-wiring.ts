import type { FirehoseClient } from '@aws-sdk/client-firehose';
import type { ModelBundle } from '@lead-scoring/model-bundle';
import {
  BufferedLakeWriter,
  clusterMetricsSource,
  createMetrics,
  DriftMonitor,
  loadLambdaObservability,
  ParquetSink,
  parseBaseline,
  type DriftBaseline,
  type LakeSink,
  type ObsLogger,
} from '@lead-scoring/observability';
import type { Scorer } from '@lead-scoring/scoring-client';
import type { ApiHooks } from './hooks';
import { loadObservabilityConfig } from './observability-config';

/** What the observability hooks need to know once the model is loaded. */
export interface ReadyContext {
  bundle: ModelBundle;
  scorer: Scorer;
}

function baselineOf(bundle: ModelBundle, logger: ObsLogger): DriftBaseline | null {
  try {
    return parseBaseline(bundle.manifest);
  } catch (err) {
    logger.warn('no usable drift baseline in the manifest; PSI disabled', { error: (err as Error).message });
    return null;
  }
}

const circuitOpen = (scorer: Scorer): boolean => (scorer as { circuitState?: string }).circuitState === 'open';

function createWriter(
  sink: LakeSink,
  observer: { written(n: number): void; failed(n: number): void; dropped(n: number): void } | undefined,
  opts: { bufferRecords: number; flushRecords: number; flushIntervalMs: number; logger: ObsLogger; featureWidth: number },
): BufferedLakeWriter {
  return new BufferedLakeWriter({
    sink, logger: opts.logger, maxBufferRecords: opts.bufferRecords, flushRecords: opts.flushRecords,
    flushIntervalMs: opts.flushIntervalMs, featureWidth: opts.featureWidth, ...(observer ? { observer } : {}),
  });
}

/**
 * Hooks of the local server (one per cluster worker) for one bundle: Prometheus metrics aggregated over all
 * workers at /metrics, the drift window, and every scored lead written to the Parquet lake under LAKE_DIR,
 * one column per feature of the bundle.
 * `close()` flushes the lake; the server calls it on SIGTERM after in-flight requests finish.
 * `METRICS=off` / `LAKE=off` switch either part off (the cost benchmark compares both).
 *
 * @example
 * const hooks = createServerObservability({ logger, bundle });
 */
export function createServerObservability(opts: { logger: ObsLogger; bundle: ModelBundle; env?: NodeJS.ProcessEnv }): ApiHooks {
  const cfg = loadObservabilityConfig(opts.env ?? process.env, 'local');
  const names = opts.bundle.contract.names;
  const metrics = cfg.metrics ? createMetrics({ featureNames: names }) : null;
  const sink = cfg.lake === 'parquet' ? new ParquetSink({ dir: cfg.lakeDir, thread: true, directIo: cfg.lakeDirectIo, featureNames: names }) : null;
  const writer = sink ? createWriter(sink, metrics?.lakeObserver, { ...cfg, logger: opts.logger, featureWidth: names.length }) : null;
  if (writer) metrics?.setLakeQueueDepthSource(() => writer.queueDepth);
  const source = metrics ? clusterMetricsSource(metrics.registry) : null;
  return {
    ...(source ? { metrics: { contentType: source.contentType, metrics: () => source.text() } } : {}),
    ...(metrics ? { onRequest: (e) => metrics.recordRequest(e.route, e.status, e.totalMs) } : {}),
    ...(metrics || writer
      ? {
          onScored: (e) => {
            metrics?.recordScored(e);
            if (writer) writer.pushEvent(e);
          },
        }
      : {}),
    onReady: ({ bundle, scorer }: ReadyContext) => {
      if (!metrics) return;
      metrics.setDrift(new DriftMonitor({ baseline: baselineOf(bundle, opts.logger), featureNames: names, windowSize: cfg.driftWindow }));
      metrics.setCircuitOpenSource(() => circuitOpen(scorer));
    },
    close: async () => {
      if (writer) await writer.close();
    },
  };
}

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
  const lambda = loadLambdaObservability();
  const names = opts.bundle.contract.names;
  const emf = cfg.metrics ? new lambda.EmfRecorder({ serviceName: 'lead-scoring-api' }) : null;
  const sink = cfg.lake === 'firehose' && cfg.firehoseStream
    ? new lambda.FirehoseSink({ streamName: cfg.firehoseStream, featureNames: names, ...(opts.firehose ? { client: opts.firehose } : {}) })
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
      await lambda.flushObservability({ writer, emf, budgetMs: cfg.flushBudgetMs, logger: opts.logger }, remainingMs);
    },
  };
}
