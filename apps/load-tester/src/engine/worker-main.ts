import { parentPort, workerData } from 'node:worker_threads';
import type { RunConfig } from '../config';
import { LoadTestError } from '../errors';
import { toWire } from './aggregator';
import type { WorkerMessage } from './run';
import { runShard, shardOptions } from './run-shard';
import { setUpShard } from './shard-setup';

/**
 * Body of a generator worker thread: set up its own target and payloads, report ready, wait
 * for the shared start time, run its shard and post every interval (histograms encoded).
 */
export async function workerMain(): Promise<void> {
  const port = parentPort;
  if (port === null) return;
  const post = (msg: WorkerMessage): void => port.postMessage(msg);
  const { config, shard } = workerData as { config: RunConfig; shard: { index: number; count: number } };
  try {
    const { pool, target } = await setUpShard(config);
    const startAt = await new Promise<number>((resolve) => {
      port.once('message', (msg: { type: 'start'; startAt: number }) => resolve(msg.startAt));
      post({ type: 'ready', ...(target.cold === undefined ? {} : { cold: target.cold }) });
    });
    await runShard({
      ...shardOptions(config),
      shard,
      startAt,
      target,
      pool,
      onInterval: (i) => post({ type: 'interval', interval: toWire(i) }),
    });
    await target.close();
    post({ type: 'done' });
  } catch (err) {
    const code = err instanceof LoadTestError ? err.code : 'WORKER_FAILED';
    post({ type: 'failed', code, message: (err as Error).message });
  }
}
