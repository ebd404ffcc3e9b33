import cluster from 'node:cluster';
import { Logger } from '@aws-lambda-powertools/logger';
import { serveClusterMetrics } from '@lead-scoring/metrics';
import { loadConfig, type ApiConfig } from './config';
import { loadObservabilityConfig } from './observability-config';
import { curlExample, startServer, type RunningServer } from './server';

/** Messages a worker sends its primary. */
type WorkerMessage = { type: 'ready'; url: string; curl: string };

function main(): void {
  let cfg: ApiConfig;
  try {
    cfg = loadConfig();
    loadObservabilityConfig(process.env, 'local'); // read again by each worker's hooks; checked here so a bad value exits cleanly
  } catch (err) {
    process.stderr.write(`lead-scoring-api: invalid configuration: ${(err as Error).message}\n`);
    process.exit(1);
  }
  const logger = new Logger({ serviceName: 'lead-scoring-api', logLevel: cfg.logLevel });
  if (cluster.isPrimary && cfg.workers > 1) runPrimary(cfg, logger);
  else void runWorker(cfg, logger);
}

/**
 * Forks WORKERS workers sharing the port; restarts crashed ones; on SIGTERM drains them all and exits 0.
 * A worker that dies before it ever served (its model cannot load) stops the whole server with exit 1
 * rather than being restarted forever.
 */
function runPrimary(cfg: ApiConfig, logger: Logger): void {
  let stopping = false;
  let failed = false;
  let readyCount = 0;
  const ready = new Set<number>();
  // /metrics on any worker asks the primary, which aggregates all workers' registries.
  serveClusterMetrics();
  const fork = () => {
    const worker = cluster.fork();
    worker.on('message', (msg: WorkerMessage) => {
      if (msg.type !== 'ready') return;
      ready.add(worker.id);
      if (++readyCount !== cfg.workers) return;
      logger.info('serving', { url: msg.url, workers: cfg.workers });
      printBanner(msg.url, msg.curl);
    });
  };
  for (let i = 0; i < cfg.workers; i++) fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) {
        logger.info('stopped');
        process.exit(failed ? 1 : 0);
      }
      return;
    }
    if (!ready.has(worker.id)) {
      logger.error('a worker failed before serving; stopping', { pid: worker.process.pid, code, signal });
      stopping = true;
      failed = true;
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(1);
      return;
    }
    logger.error('worker died; starting a new one', { pid: worker.process.pid, code, signal });
    ready.delete(worker.id);
    readyCount--;
    fork();
  });
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/** One server process: loads and warms the model, then listens and reports ready; on SIGTERM finishes in-flight requests and exits 0. */
async function runWorker(cfg: ApiConfig, logger: Logger): Promise<void> {
  let server: RunningServer;
  try {
    // Workers share the primary's port; port 0 gives them all the same random one.
    server = await startServer(cfg, { logger });
  } catch (err) {
    logger.error('model failed to load; exiting', { error: err as Error });
    process.exit(1);
  }
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void server.shutdown().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  const curl = curlExample(server.url, server.app.bundle, cfg.apiKeys[0] ? '<your-api-key>' : undefined);
  logger.info('ready', { url: server.url, pid: process.pid });
  if (cluster.isWorker) process.send?.({ type: 'ready', url: server.url, curl } satisfies WorkerMessage);
  else printBanner(server.url, curl);
}

function printBanner(url: string, curl: string): void {
  process.stdout.write(`\nLead scoring API listening on ${url}\nTry it:\n  ${curl}\n\n`);
}

main();
