import cluster from 'node:cluster';
import { Logger } from '@aws-lambda-powertools/logger';
import { serveClusterMetrics } from '@lead-scoring/metrics';
import { loadConfig, type ApiConfig } from './config';
import { loadObservabilityConfig, type ObservabilityConfig } from './observability-config';
import { curlExample, startServer, type RunningServer } from './server';
import { LAKE_RUN_VARIABLE, newLakeRun, startPrimaryLakeKeeper } from './server-observability';

/** Messages a worker sends its primary. */
type WorkerMessage = { type: 'ready'; url: string; curl: string };

function main(): void {
  let cfg: ApiConfig;
  let obs: ObservabilityConfig;
  try {
    cfg = loadConfig();
    obs = loadObservabilityConfig(process.env, 'local'); // read again by each worker's hooks; checked here so a bad value exits cleanly
  } catch (err) {
    process.stderr.write(`lead-scoring-api: invalid configuration: ${(err as Error).message}\n`);
    process.exit(1);
  }
  const logger = new Logger({ serviceName: 'lead-scoring-api', logLevel: cfg.logLevel });
  if (cluster.isPrimary && cfg.workers > 1) runPrimary(cfg, obs, logger);
  else void runWorker(cfg, logger);
}

/**
 * Forks WORKERS workers sharing the port; restarts crashed ones; on SIGTERM drains them all and exits 0.
 * A worker that dies before it ever served (its model cannot load) stops the whole server with exit 1
 * rather than being restarted forever. The primary owns the lake folder: its keeper (a worker thread) publishes
 * the workers' spool segments, those a worker left when it died as soon as it has exited, and every segment left
 * by an earlier run of the server at start.
 */
function runPrimary(cfg: ApiConfig, obs: ObservabilityConfig, logger: Logger): void {
  let stopping = false;
  let failed = false;
  let readyCount = 0;
  const ready = new Set<number>();
  const run = newLakeRun();
  const keeper = startPrimaryLakeKeeper(obs, run, logger);
  // /metrics on any worker asks the primary, which aggregates all workers' registries.
  serveClusterMetrics();
  const exit = (code: number): void => {
    // Workers are gone: publish what their spools hold, so a stopped server leaves a complete lake.
    exitWithin(SHUTDOWN_PUBLISH_MS, logger);
    void (keeper ? keeper.flush().then(() => keeper.close()) : Promise.resolve()).finally(() => process.exit(code));
  };
  const fork = () => {
    const worker = cluster.fork({ [LAKE_RUN_VARIABLE]: run });
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
    keeper?.writerExited(`${run}-${worker.id}`);
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) {
        logger.info('stopped');
        exit(failed ? 1 : 0);
      }
      return;
    }
    if (!ready.has(worker.id)) {
      logger.error('a worker failed before serving; stopping', { pid: worker.process.pid, code, signal });
      stopping = true;
      failed = true;
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
      if (Object.keys(cluster.workers ?? {}).length === 0) exit(1);
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
    // Also one plain line: what an operator starting the server reads first (e.g. a refused shadow model).
    const code = (err as { code?: unknown }).code;
    process.stderr.write(
      `lead-scoring-api: cannot start: ${typeof code === 'string' ? `[${code}] ` : ''}${(err as Error).message}\n`,
    );
    process.exit(1);
  }
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void server.shutdown().then(() => process.exit(0));
    // In-flight requests get the HTTP server's grace (10 s); the lake's publish gets its own bound below.
    exitWithin(10_000 + SHUTDOWN_PUBLISH_MS, logger);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  const curl = curlExample(server.url, server.app.bundle, cfg.apiKeys[0] ? '<your-api-key>' : undefined);
  logger.info('ready', { url: server.url, pid: process.pid });
  if (cluster.isWorker) process.send?.({ type: 'ready', url: server.url, curl } satisfies WorkerMessage);
  else printBanner(server.url, curl);
}

/** Longest a stop waits for the lake keeper to publish the spool before the process exits anyway. */
const SHUTDOWN_PUBLISH_MS = 60_000;

/**
 * Exits with 1 if the stop has not finished within `ms`: a stop must end. Nothing accepted is lost by it: what the
 * keeper had not published is still in the spool, and the next start publishes it.
 */
function exitWithin(ms: number, logger: Logger): void {
  setTimeout(() => {
    logger.error(
      'the lake was not published in time; exiting with it left in the spool (the next start publishes it)',
      { code: 'LAKE_PUBLISH_TIMEOUT', ms },
    );
    process.exit(1);
  }, ms).unref();
}

function printBanner(url: string, curl: string): void {
  process.stdout.write(`\nLead scoring API listening on ${url}\nTry it:\n  ${curl}\n\n`);
}

main();
