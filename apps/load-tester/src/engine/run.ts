import { Worker } from 'node:worker_threads';
import type { RunConfig } from '../config';
import { LoadTestError } from '../errors';
import { Aggregator, fromWire, type WireInterval } from './aggregator';
import { epochMs } from './clock';
import { TRANSPORT_ERRORS, type Target } from './outcome';
import type { Interval } from './recorder';
import { runShard, shardOptions } from './run-shard';
import { setUpShard } from './shard-setup';

/** Everything measured in a run. */
export interface RunResult {
  config: RunConfig;
  startedAt: string;
  /** From the start to the last answer. */
  elapsedMs: number;
  total: Interval;
  series: Interval[];
  cold?: { initMs: number; firstCallMs: number };
}

/** Messages from a generator worker thread. */
export type WorkerMessage =
  | { type: 'ready'; cold?: { initMs: number; firstCallMs: number } }
  | { type: 'interval'; interval: WireInterval }
  | { type: 'done' }
  | { type: 'failed'; code: string; message: string };

/** Lead time between "everyone is ready" and second 0, so all threads start on the same tick. */
const START_LEAD_MS = 50;

/**
 * Runs a whole load test in this thread, or across `config.workers` worker threads (each takes
 * every N-th scheduled request and posts encoded one-second histograms back to be merged).
 *
 * @example
 * const result = await runLoadTest(config, { workerEntry: __filename, onSecond: (s) => console.error(s.second) });
 */
export async function runLoadTest(
  config: RunConfig,
  opts: { workerEntry?: string; onSecond?: (interval: Interval) => void } = {},
): Promise<RunResult> {
  const aggregator = new Aggregator({
    shardCount: config.workers,
    ...(opts.onSecond === undefined ? {} : { onSecond: opts.onSecond }),
  });
  const { startAt, cold } =
    config.workers > 1 && opts.workerEntry !== undefined
      ? await runInWorkers(config, opts.workerEntry, aggregator)
      : await runInProcess(config, aggregator);
  return {
    config,
    startedAt: new Date(startAt).toISOString(),
    elapsedMs: epochMs() - startAt,
    total: aggregator.total,
    series: aggregator.series(),
    ...(cold === undefined ? {} : { cold }),
  };
}

async function runInProcess(
  config: RunConfig,
  aggregator: Aggregator,
): Promise<{ startAt: number; cold?: Target['cold'] }> {
  const { pool, target } = await setUpShard(config);
  try {
    await preflight(config, target, pool.valid[0]);
    const startAt = epochMs() + START_LEAD_MS;
    await runShard({
      ...shardOptions(config),
      shard: { index: 0, count: 1 },
      startAt,
      target,
      pool,
      onInterval: (i) => aggregator.add(i),
    });
    return { startAt, ...(target.cold === undefined ? {} : { cold: target.cold }) };
  } finally {
    await target.close();
  }
}

/** Fails fast (exit 2) when the target cannot be reached at all, instead of measuring a wall of refused connections. */
async function preflight(config: RunConfig, target: Target, body: Buffer | undefined): Promise<void> {
  if (target.kind === 'lambda' || body === undefined) return;
  const outcome = await new Promise<Parameters<Parameters<Target['send']>[1]>[0]>((done) => target.send(body, done));
  if ('error' in outcome && outcome.error !== TRANSPORT_ERRORS.TIMEOUT) {
    const where = config.target.kind === 'http' ? config.target.url : 'the SageMaker endpoint';
    throw new LoadTestError(
      'TARGET_UNREACHABLE',
      `cannot reach ${where} (${outcome.error} error on a test request); is it running?`,
    );
  }
}

async function runInWorkers(
  config: RunConfig,
  entry: string,
  aggregator: Aggregator,
): Promise<{ startAt: number; cold?: Target['cold'] }> {
  if (config.target.kind !== 'lambda') {
    const { pool, target } = await setUpShard(config);
    try {
      await preflight(config, target, pool.valid[0]);
    } finally {
      await target.close();
    }
  }
  const workers = Array.from({ length: config.workers }, (_, index) =>
    startWorker(entry, { config, shard: { index, count: config.workers } }),
  );
  let cold: Target['cold'];
  let ready = 0;
  let done = 0;
  const startAt = await new Promise<number>((resolveStart, reject) => {
    let started: number | undefined;
    let finish: (() => void) | undefined;
    const allDone = new Promise<void>((r) => (finish = r));
    workers.forEach((worker, index) => {
      worker.on('message', (msg: WorkerMessage) => {
        if (msg.type === 'ready') {
          if (index === 0 && msg.cold !== undefined) cold = msg.cold;
          ready += 1;
          if (ready === workers.length) {
            started = epochMs() + START_LEAD_MS;
            for (const w of workers) w.postMessage({ type: 'start', startAt: started });
          }
        } else if (msg.type === 'interval') aggregator.add(fromWire(msg.interval));
        else if (msg.type === 'done') {
          done += 1;
          if (done === workers.length) finish?.();
        } else
          reject(
            new LoadTestError(
              msg.code === 'HANDLER_LOAD_FAILED' ? 'HANDLER_LOAD_FAILED' : 'WORKER_FAILED',
              msg.message,
            ),
          );
      });
      worker.on('error', (err) =>
        reject(new LoadTestError('WORKER_FAILED', `generator thread ${index} failed: ${err.message}`, { cause: err })),
      );
    });
    void allDone.then(() => resolveStart(started ?? epochMs()));
  }).finally(() => Promise.all(workers.map((w) => w.terminate())));
  return { startAt, ...(cold === undefined ? {} : { cold }) };
}

/**
 * Worker threads do not inherit tsx's loader hooks, so a TypeScript entry (running from source
 * with `npm run load-test`) registers tsx inside the thread first; the esbuild bundle is plain JS.
 */
function startWorker(entry: string, workerData: unknown): Worker {
  if (!entry.endsWith('.ts')) return new Worker(entry, { workerData });
  return new Worker(`require('tsx/cjs/api').register(); require(${JSON.stringify(entry)});`, {
    eval: true,
    workerData,
  });
}
