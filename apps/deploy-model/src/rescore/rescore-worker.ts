import { parentPort, workerData } from 'node:worker_threads';
import { createChunkProcessor, type ChunkResult, type ChunkTask } from './chunk-processor';
import { isRescoreWorker } from './worker-role';

/** Messages of a rescore worker to the pool (worker-pool.ts). */
export type WorkerReply =
  { type: 'ready' } | { type: 'done'; result: ChunkResult } | { type: 'failed'; seq: number; message: string };
/** Messages of the pool to a worker: a chunk, or an output buffer written out and handed back. */
export type WorkerRequest = { type: 'task'; task: ChunkTask } | { type: 'recycle'; buffer: ArrayBuffer };

/**
 * The body of a rescore worker thread: loads the bundle once, then turns each chunk it is sent into its result.
 *
 * @example if (!isMainThread && isRescoreWorker()) startRescoreWorker();
 */
export function startRescoreWorker(): void {
  const port = parentPort;
  const data: unknown = workerData;
  if (!port || !isRescoreWorker(data))
    throw new Error('startRescoreWorker runs in a thread started by the rescore pool');
  // Tasks that arrive while the bundle loads wait for it: the pool sends a worker its first tasks at once.
  const ready = createChunkProcessor(data.setup);
  ready.then(
    () => port.postMessage({ type: 'ready' } satisfies WorkerReply),
    (err: unknown) =>
      port.postMessage({ type: 'failed', seq: -1, message: (err as Error).message } satisfies WorkerReply),
  );
  port.on('message', (m: WorkerRequest) => {
    void ready.then(
      (processor) => {
        if (m.type === 'recycle') {
          processor.recycle(m.buffer);
          return;
        }
        let reply: WorkerReply;
        try {
          reply = { type: 'done', result: processor.process(m.task) };
        } catch (err) {
          reply = { type: 'failed', seq: m.task.seq, message: (err as Error).message };
        }
        port.postMessage(reply, reply.type === 'done' ? transferOf(reply.result) : []);
      },
      () => undefined,
    );
  });
}

/** The result's buffers move to the main thread instead of being copied. */
function transferOf(result: ChunkResult): ArrayBuffer[] {
  const buffers: ArrayBuffer[] = [];
  if (result.out.byteLength > 0) buffers.push(result.out.buffer as ArrayBuffer);
  if (result.input !== undefined) buffers.push(result.input);
  return buffers;
}
