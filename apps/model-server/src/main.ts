import { resolve } from 'node:path';
import { readConfig } from './config';
import { createModelServer } from './http-server';
import { ModelHolder, type Logger } from './model-holder';
import { createModelServerMetrics } from './server-metrics';

const log: Logger = (level, message, fields) => {
  const line = JSON.stringify({ time: new Date().toISOString(), level, service: 'model-server', message, ...fields });
  (level === 'info' ? process.stdout : process.stderr).write(`${line}\n`);
};

async function main(): Promise<void> {
  const cfg = readConfig();
  const holder = new ModelHolder({ dir: resolve(cfg.modelDir), reloadIntervalMs: cfg.reloadIntervalMs, log });
  // Load before listening; /ping stays 503 until a model passes its self-test, and polling keeps trying.
  await holder.check();
  holder.start();
  const metrics = createModelServerMetrics(cfg);
  const server = createModelServer({ holder, log, maxConcurrentTransforms: cfg.maxConcurrentTransforms, metrics });
  server.listen(cfg.port, cfg.host, () => {
    const addr = server.address();
    log('info', 'listening', { port: typeof addr === 'object' && addr ? addr.port : cfg.port, modelDir: cfg.modelDir, metrics: cfg.metrics });
  });
  let stopping = false;
  const shutdown = (signal: string) => {
    // Ctrl-C reaches both this process and a supervisor that forwards it: act on the first one only.
    if (stopping) return;
    stopping = true;
    log('info', 'shutting down', { signal });
    holder.stop();
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
