import { parentPort, workerData } from 'node:worker_threads';
import { KeeperLoop, type KeeperConfig } from './keeper-loop';

/** Messages between the keeper thread and its host (keeper-host.ts). */
export type KeeperRequest =
  { type: 'exited'; writer: string } | { type: 'flush'; id: number } | { type: 'close'; id: number };
export type KeeperReply =
  { type: 'done'; id: number } | { type: 'log'; level: 'warn' | 'error'; message: string; extra: unknown[] };

if (parentPort) {
  const port = parentPort;
  const log =
    (level: 'warn' | 'error') =>
    (message: string, ...extra: unknown[]): void =>
      port.postMessage({ type: 'log', level, message, extra } satisfies KeeperReply);
  const loop = new KeeperLoop(workerData as KeeperConfig, { warn: log('warn'), error: log('error') });
  port.on('message', (m: KeeperRequest) => {
    if (m.type === 'exited') loop.writerExited(m.writer);
    else if (m.type === 'flush')
      void loop.flush().then(() => port.postMessage({ type: 'done', id: m.id } satisfies KeeperReply));
    else void loop.close().then(() => port.postMessage({ type: 'done', id: m.id } satisfies KeeperReply));
  });
}
