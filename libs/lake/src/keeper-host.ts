import { existsSync } from 'node:fs';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ObsLogger } from '@lead-scoring/metrics';
import type { KeeperConfig, KeeperLoop } from './keeper-loop';
import type { KeeperReply, KeeperRequest } from './keeper-thread';

/** A running lake keeper. */
export interface LakeKeeperHandle {
  /** Writer `<run>-<n>` is gone (a cluster worker exited): its open segment may be published. */
  writerExited(writer: string): void;
  /** Publishes every segment that can be, now (shutdown: after the writers closed or exited). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the keeper of a lake folder in a worker thread of this process (conversion, merging and retention stay
 * off the event loop), or in this thread with `thread: false` (tests, or where the thread's entry is missing, as
 * in a bundled build). A keeper thread that dies is started again after a second.
 *
 * @example
 * const keeper = startLakeKeeper({ dir, run, logger });
 * process.on('SIGTERM', () => void keeper.flush().then(() => keeper.close()));
 */
export function startLakeKeeper(
  cfg: KeeperConfig & { readonly logger: ObsLogger; readonly thread?: boolean },
): LakeKeeperHandle {
  const { logger, thread, ...config } = cfg;
  const entry = join(__dirname, `keeper-thread${extname(__filename)}`);
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- our own module file
  if (thread === false || !existsSync(entry)) {
    // Loaded here only, by a name a bundler does not follow: the Lambda bundle must not carry the Parquet writer.
    const loopModule = './keeper-loop';
    const { KeeperLoop: Loop } = require(loopModule) as { KeeperLoop: typeof KeeperLoop };
    const loop = new Loop(config, logger);
    return { writerExited: (w) => loop.writerExited(w), flush: () => loop.flush(), close: () => loop.close() };
  }
  const pending = new Map<number, () => void>();
  const exited: string[] = [];
  let next = 0;
  let closing = false;
  let worker = spawn();

  function spawn(): Worker {
    // Under tsx (running from source) the thread needs tsx's require hook to load the .ts entry.
    const w = entry.endsWith('.ts')
      ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(entry)});`, { eval: true, workerData: config })
      : new Worker(entry, { workerData: config });
    w.on('message', (m: KeeperReply) => {
      if (m.type === 'log') logger[m.level](m.message, ...m.extra);
      else {
        pending.get(m.id)?.();
        pending.delete(m.id);
      }
    });
    w.on('error', (err) =>
      logger.error('lake keeper thread failed', { code: 'LAKE_PUBLISH_FAILED', error: err.message }),
    );
    w.on('exit', () => {
      for (const done of pending.values()) done();
      pending.clear();
      if (closing) return;
      setTimeout(() => {
        if (closing) return;
        worker = spawn();
        for (const writer of exited) worker.postMessage({ type: 'exited', writer } satisfies KeeperRequest);
      }, 1_000).unref();
    });
    return w;
  }
  const ask = (type: 'flush' | 'close'): Promise<void> =>
    new Promise((resolve) => {
      const id = next++;
      pending.set(id, resolve);
      worker.postMessage({ type, id } satisfies KeeperRequest);
    });
  return {
    writerExited(writer) {
      exited.push(writer);
      worker.postMessage({ type: 'exited', writer } satisfies KeeperRequest);
    },
    flush: () => ask('flush'),
    async close() {
      await ask('close');
      closing = true;
      await worker.terminate();
    },
  };
}
