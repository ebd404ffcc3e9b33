import cluster from 'node:cluster';
import { randomBytes } from 'node:crypto';
import { DriftMonitor } from '@lead-scoring/drift';
import { openLocalLake, startLakeKeeper, type LakeKeeperHandle } from '@lead-scoring/lake';
import { clusterMetricsSource, createMetrics, type ObsLogger } from '@lead-scoring/metrics';
import type { ModelBundle } from '@lead-scoring/model-bundle';
import { ConfigError } from './config';
import type { ApiHooks } from './hooks';
import { baselineOf, circuitOpen, type ReadyContext } from './observability-common';
import { loadObservabilityConfig, type ObservabilityConfig } from './observability-config';

/** Set by the cluster primary for its workers: the run their spool segments belong to (main.ts). */
export const LAKE_RUN_VARIABLE = 'LEAD_SCORING_LAKE_RUN';

/** A fresh run id: names the spool segments of one server start, so leftovers of earlier starts are told apart. */
export const newLakeRun = (): string => randomBytes(4).toString('hex');

/**
 * The cluster primary's lake keeper (a worker thread): publishes the spool segments of the workers of `run`, and
 * what earlier runs left. Null with LAKE other than parquet.
 *
 * @example
 * const keeper = startPrimaryLakeKeeper(obs, run, logger); // then keeper?.writerExited(`${run}-${worker.id}`)
 */
export function startPrimaryLakeKeeper(
  cfg: ObservabilityConfig,
  run: string,
  logger: ObsLogger,
): LakeKeeperHandle | null {
  if (cfg.lake !== 'parquet') return null;
  return startLakeKeeper({
    dir: cfg.lakeDir,
    run,
    publishMs: cfg.lakePublishMs,
    retentionDays: cfg.lakeRetentionDays,
    logger,
  });
}

/**
 * Hooks of the local server (one per cluster worker) for one bundle: Prometheus metrics aggregated over all
 * workers at /metrics, the drift window, and the lake: every scored request spooled before its answer (`record`),
 * /ready failing while the spool cannot be written (`unavailable`). A cluster worker only spools; the primary's
 * keeper publishes. A server without a primary (WORKERS=1, tests) runs its own keeper.
 * With `shadow`, the shadow model's results join the metrics (agreement matrix) and the spool (beside their leads).
 * `close()` seals the spool (and, with its own keeper, publishes it); the server calls it after in-flight requests.
 * `METRICS=off` / `LAKE=off` switch either part off.
 *
 * @example
 * const hooks = createServerObservability({ logger, bundle });
 */
export function createServerObservability(opts: {
  logger: ObsLogger;
  bundle: ModelBundle;
  shadow?: boolean;
  env?: NodeJS.ProcessEnv;
}): ApiHooks {
  const env = opts.env ?? process.env;
  const cfg = loadObservabilityConfig(env, 'local');
  const names = opts.bundle.contract.names;
  const metrics = cfg.metrics ? createMetrics({ featureNames: names, shadow: opts.shadow ?? false }) : null;
  const worker = cluster.isWorker ? (cluster.worker?.id ?? 0) : 0;
  const run = cluster.isWorker ? env[LAKE_RUN_VARIABLE] : newLakeRun();
  if (cfg.lake === 'parquet' && !run)
    throw new ConfigError(
      LAKE_RUN_VARIABLE,
      'is set by the cluster primary for its workers; start the server with apps/api/src/main.ts',
    );
  const lake =
    cfg.lake === 'parquet' && run
      ? openLocalLake({
          dir: cfg.lakeDir,
          featureNames: names,
          sync: cfg.lakeSync,
          syncMs: cfg.lakeSyncMs,
          required: cfg.lakeRequired,
          run,
          worker,
          keeper: !cluster.isWorker,
          publishMs: cfg.lakePublishMs,
          retentionDays: cfg.lakeRetentionDays,
          logger: opts.logger,
        })
      : null;
  if (lake) metrics?.setLakeSource(lake);
  const source = metrics ? clusterMetricsSource(metrics.registry) : null;
  return {
    ...(source ? { metrics: { contentType: source.contentType, metrics: () => source.text() } } : {}),
    ...(metrics
      ? {
          onRequest: (e) => metrics.recordRequest(e.route, e.status, e.totalMs),
          onScored: (e) => metrics.recordScored(e),
        }
      : {}),
    ...(lake ? { record: (e, info) => lake.record(e, info), unavailable: () => lake.unavailable() } : {}),
    ...(opts.shadow && (metrics || lake)
      ? {
          onShadow: (e, r) => {
            metrics?.recordShadow(e, r);
            lake?.recordShadow(e, r);
          },
          onShadowSkipped: (e, reason) => {
            metrics?.recordShadowSkipped(reason, e.nRows);
            lake?.shadowSkipped(e);
          },
        }
      : {}),
    onReady: ({ bundle, scorer }: ReadyContext) => {
      if (!metrics) return;
      metrics.setDrift(
        new DriftMonitor({
          baseline: baselineOf(bundle, opts.logger),
          featureNames: names,
          windowSize: cfg.driftWindow,
        }),
      );
      metrics.setCircuitOpenSource(() => circuitOpen(scorer));
    },
    close: async () => {
      await lake?.close();
    },
  };
}
