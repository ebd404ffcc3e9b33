import { existsSync } from 'node:fs';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { DeployError } from '../errors';
import type { ChunkResult, ChunkTask, WorkerSetup } from './chunk-processor';
import type { WorkerReply, WorkerRequest } from './rescore-worker';
import type { RescoreWorkerData } from './worker-role';

/** One scoring thread as the pool sees it: post a task, hear back through the pool's callbacks. */
interface Lane {
  outstanding: number;
  post(task: ChunkTask): void;
  /** Hands an output buffer back to the thread that filled it. */
  recycle(buffer: ArrayBuffer): void;
  stop(): Promise<void>;
}

type Listener = { done(result: ChunkResult): void; fail(err: Error): void };

/**
 * Worker threads that score chunks, results handed on in input order. At most `window` chunks are between
 * `submit` and the end of their `write`: that bounds the reorder buffer and the memory of a run, whatever the
 * input's size. Each worker loads the bundle once; a failed worker or write fails the run (`finish` rejects).
 *
 * @example
 * const pool = await OrderedPool.start({ setup, workers: 2, window: 6, write: (r) => sink.write(r) });
 * for await (const task of tasks) await pool.submit(task);
 * await pool.finish();
 */
export class OrderedPool {
  private readonly done = new Map<number, ChunkResult>();
  private readonly laneOf = new Map<number, Lane>();
  private nextSeq = 0;
  private submitted = 0;
  private written = 0;
  private writing: Promise<void> = Promise.resolve();
  private failure: Error | null = null;
  private wake: (() => void) | null = null;

  private constructor(
    private readonly lanes: Lane[],
    private readonly window: number,
    private readonly write: (result: ChunkResult) => Promise<void>,
    private readonly onInput: ((buffer: ArrayBuffer) => void) | undefined,
  ) {}

  /**
   * Starts the workers and waits until each has loaded the bundle. `onInput` gets each task's input buffer
   * back once its chunk is written, for the reader to fill again.
   */
  static async start(opts: {
    setup: WorkerSetup;
    workers: number;
    window: number;
    write: (result: ChunkResult) => Promise<void>;
    onInput?: (buffer: ArrayBuffer) => void;
  }): Promise<OrderedPool> {
    const started: { pool?: OrderedPool } = {};
    const listener: Listener = { done: (r) => started.pool?.onDone(r), fail: (e) => started.pool?.onFail(e) };
    const threads = Array.from({ length: opts.workers }, () => threadLane(opts.setup, listener));
    const lanes = threads.map((s) => s.lane);
    const ready = await Promise.allSettled(threads.map((s) => s.ready));
    const failed = ready.find((r) => r.status === 'rejected');
    if (failed) {
      await Promise.all(lanes.map((l) => l.stop()));
      throw failed.reason;
    }
    started.pool = new OrderedPool(lanes, opts.window, opts.write, opts.onInput);
    return started.pool;
  }

  /** Hands a task to the least busy worker; waits while `window` chunks are on their way. */
  async submit(task: ChunkTask): Promise<void> {
    while (this.failure === null && this.submitted - this.written >= this.window)
      await new Promise<void>((resolve) => (this.wake = resolve));
    if (this.failure) throw this.failure;
    let lane = this.lanes[0]!;
    for (const l of this.lanes) if (l.outstanding < lane.outstanding) lane = l;
    lane.outstanding++;
    this.submitted++;
    this.laneOf.set(task.seq, lane);
    lane.post(task);
  }

  /** Waits for every submitted chunk to be written, then stops the workers. */
  async finish(): Promise<void> {
    try {
      while (this.failure === null && this.written < this.submitted)
        await new Promise<void>((resolve) => (this.wake = resolve));
      await this.writing;
      if (this.failure) throw this.failure;
    } finally {
      await this.stop();
    }
  }

  /** Stops the workers at once (after a failure or Ctrl-C). */
  async stop(): Promise<void> {
    await Promise.all(this.lanes.map((l) => l.stop()));
  }

  private onDone(result: ChunkResult): void {
    this.done.set(result.seq, result);
    while (this.done.has(this.nextSeq)) {
      const next = this.done.get(this.nextSeq)!;
      this.done.delete(this.nextSeq);
      this.nextSeq++;
      this.writing = this.writing
        .then(() => (this.failure ? undefined : this.write(next)))
        .then(
          () => {
            const lane = this.laneOf.get(next.seq);
            this.laneOf.delete(next.seq);
            if (lane && next.out.byteLength > 0) lane.recycle(next.out.buffer as ArrayBuffer);
            if (next.input) this.onInput?.(next.input);
            this.written++;
            this.notify();
          },
          (err: unknown) => this.onFail(err instanceof Error ? err : new Error(String(err))),
        );
    }
  }

  private onFail(err: Error): void {
    this.failure ??=
      err instanceof DeployError
        ? err
        : new DeployError('RESCORE_FAILED', `a scoring worker failed: ${err.message}`, { cause: err });
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}

/**
 * A worker's young generation, sized by hand: V8 sizes it from the machine's memory, and on a 24 GB machine two
 * workers took the process to 440-480 MB peak RSS on 1,000,000 demo leads; 16 MB each gave 260-290 MB at the
 * same speed (8 MB: the same memory, more scavenges).
 */
const RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 96 };

/**
 * Starts one worker thread. From source (tsx, Jest) the thread registers tsx and loads rescore-worker.ts; the
 * esbuild bundle is a single file, so the thread runs the bundle itself and main.ts starts the worker there.
 */
function spawnWorker(setup: WorkerSetup): Worker {
  const workerData: RescoreWorkerData = { role: 'rescore-worker', setup };
  const entry = join(__dirname, `rescore-worker${extname(__filename)}`);
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- our own module file
  if (!existsSync(entry)) return new Worker(__filename, { workerData, resourceLimits: RESOURCE_LIMITS });
  const register = entry.endsWith('.ts') ? "require('tsx/cjs/api').register();" : '';
  return new Worker(`${register} require(${JSON.stringify(entry)}).startRescoreWorker();`, {
    eval: true,
    workerData,
    resourceLimits: RESOURCE_LIMITS,
  });
}

function threadLane(setup: WorkerSetup, listener: Listener): { lane: Lane; ready: Promise<void> } {
  const worker = spawnWorker(setup);
  let stopping = false;
  const lane: Lane = {
    outstanding: 0,
    post: (task) => worker.postMessage({ type: 'task', task } satisfies WorkerRequest, transferList(task)),
    recycle: (buffer) => worker.postMessage({ type: 'recycle', buffer } satisfies WorkerRequest, [buffer]),
    stop: async () => {
      stopping = true;
      await worker.terminate();
    },
  };
  const ready = new Promise<void>((resolve, reject) => {
    worker.on('message', (m: WorkerReply) => {
      if (m.type === 'ready') resolve();
      else if (m.type === 'done') {
        lane.outstanding--;
        listener.done(m.result);
      } else {
        const err = new DeployError(
          'RESCORE_FAILED',
          m.seq < 0
            ? `a scoring worker could not load the bundle: ${m.message}`
            : `chunk ${m.seq} failed: ${m.message}`,
        );
        reject(err);
        listener.fail(err);
      }
    });
    worker.on('error', (err) => {
      reject(err);
      listener.fail(err);
    });
    worker.on('exit', (code) => {
      if (stopping) return;
      const err = new Error(`a scoring worker exited (code ${code})`);
      reject(err);
      listener.fail(err);
    });
  });
  ready.catch(() => undefined);
  return { lane, ready };
}

/** The chunk's buffers move to the worker instead of being copied. */
function transferList(task: ChunkTask): ArrayBuffer[] {
  if (task.bytes) return [task.bytes.buffer as ArrayBuffer];
  if (task.block) return [task.block.values.buffer as ArrayBuffer];
  return [];
}
