import { DriftMonitor } from '@lead-scoring/drift';
import { ParquetSink } from '@lead-scoring/lake';
import { clusterMetricsSource, createMetrics, type ObsLogger } from '@lead-scoring/metrics';
import type { ModelBundle } from '@lead-scoring/model-bundle';
import type { ApiHooks } from './hooks';
import { baselineOf, circuitOpen, createWriter, type ReadyContext } from './observability-common';
import { loadObservabilityConfig } from './observability-config';

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

