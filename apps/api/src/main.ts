import cluster from 'node:cluster';
import { Logger } from '@aws-lambda-powertools/logger';
import { serveClusterMetrics } from '@lead-scoring/observability';
import { loadConfig, type ApiConfig } from './config';
import { loadObservabilityConfig } from './observability-config';
import { curlExample, startServer } from './server';

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

/** Forks WORKERS workers sharing the port; restarts crashed ones; on SIGTERM drains them all and exits 0. */
function runPrimary(cfg: ApiConfig, logger: Logger): void {
  let stopping = false;
  let readyCount = 0;
  // /metrics on any worker asks the primary, which aggregates all workers' registries.
  serveClusterMetrics();
  const fork = () => cluster.fork().on('message', (msg: WorkerMessage) => {
    if (msg.type !== 'ready' || ++readyCount !== cfg.workers) return;
    logger.info('serving', { url: msg.url, workers: cfg.workers });
    printBanner(msg.url, msg.curl);
  });
  for (let i = 0; i < cfg.workers; i++) fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) {
        logger.info('stopped');
        process.exit(0);
      }
      return;
    }
    logger.error('worker died; starting a new one', { pid: worker.process.pid, code, signal });
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

/** One server process: listens, loads the model, reports ready; on SIGTERM finishes in-flight requests and exits 0. */
async function runWorker(cfg: ApiConfig, logger: Logger): Promise<void> {
  // Workers share the primary's port; port 0 gives them all the same random one.
  const server = await startServer(cfg, { logger });
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void server.shutdown().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  try {
    const bundle = await server.app.bundle;
    await server.app.scorer;
    const curl = curlExample(server.url, bundle, cfg.apiKeys[0] ? '<your-api-key>' : undefined);
    logger.info('ready', { url: server.url, pid: process.pid });
    if (cluster.isWorker) process.send?.({ type: 'ready', url: server.url, curl } satisfies WorkerMessage);
    else printBanner(server.url, curl);
  } catch (err) {
    logger.error('model failed to load; exiting', { error: err as Error });
    process.exit(1);
  }
}

function printBanner(url: string, curl: string): void {
  process.stdout.write(`\nLead scoring API listening on ${url}\nTry it:\n  ${curl}\n\n`);
}

main();
