import { resolve } from 'node:path';
import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import { readConfig } from './config';
import { createModelServer } from './http-server';
import { ModelHolder, type Logger } from './model-holder';
import { createModelServerMetrics } from './server-metrics';
import { createShadowAwareMetrics, startModelServerShadow } from './shadow-scoring';

async function main(): Promise<void> {
  const cfg = readConfig();
  const logger = new PowertoolsLogger({ serviceName: 'lead-scoring-model-server', logLevel: cfg.logLevel });
  const log: Logger = (level, message, fields) => logger[level](message, fields ?? {});
  const holder = new ModelHolder({ dir: resolve(cfg.modelDir), reloadIntervalMs: cfg.reloadIntervalMs, log });
  // Load before listening; /ping stays 503 until a model passes its self-test, and polling keeps trying.
  await holder.check();
  holder.start();
  const metrics = cfg.shadowModelDir && cfg.metrics ? createShadowAwareMetrics() : createModelServerMetrics(cfg);
  if (cfg.shadowModelDir && !cfg.metrics)
    log('warn', 'SHADOW_MODEL_DIR is ignored with METRICS=off: the shadow comparison has nowhere to go', {
      code: 'SHADOW_IGNORED',
    });
  const shadow =
    cfg.shadowModelDir && metrics
      ? startModelServerShadow({
          dir: resolve(cfg.shadowModelDir),
          reloadIntervalMs: cfg.reloadIntervalMs,
          log,
          metrics,
        })
      : null;
  // The metrics hook runs once the response is handed to the socket: the shadow model scores from there.
  if (shadow && metrics) {
    const recordScored = metrics.recordScored.bind(metrics);
    metrics.recordScored = (e) => {
      recordScored(e);
      shadow.observe(e as Parameters<typeof shadow.observe>[0]);
    };
  }
  const server = createModelServer({
    holder,
    log,
    maxConcurrentTransforms: cfg.maxConcurrentTransforms,
    maxPayloadBytes: cfg.maxPayloadMb * 1024 * 1024,
    metrics,
  });
  server.listen(cfg.port, cfg.host, () => {
    const addr = server.address();
    log('info', 'listening', {
      port: typeof addr === 'object' && addr ? addr.port : cfg.port,
      modelDir: cfg.modelDir,
      metrics: cfg.metrics,
    });
  });
  let stopping = false;
  const shutdown = (signal: string) => {
    // Ctrl-C reaches both this process and a supervisor that forwards it: act on the first one only.
    if (stopping) return;
    stopping = true;
    log('info', 'shutting down', { signal });
    holder.stop();
    shadow?.stop();
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 5_000).unref();
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`model-server: ${(err as Error).message}\n`);
  process.exit(1);
});
