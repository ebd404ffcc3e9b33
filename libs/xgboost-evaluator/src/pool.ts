import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { EvaluatorError, EvaluatorErrorCode as Code, type EvaluatorErrorCode } from './errors';
import type { WorkerError, WorkerInit, WorkerReply, WorkerRequest } from './pool-protocol';
import { POOL_WORKER_SOURCE } from './pool-worker-source';
import type { ContribsOptions, ParseOptions } from './types';

/** A model loaded in several worker threads, splitting each batch over them. */
export interface PredictionPool {
  /** Worker threads in the pool. */
  readonly threads: number;
  /** Like Model.predictBatch (transformed predictions, nRows * predictionWidth values), split over the workers. `x` is not retained after the promise settles. */
  predictBatch(x: Float32Array, nRows: number): Promise<Float64Array>;
  /** Like Model.predictContribsBatch, split over the workers. */
  predictContribsBatch(x: Float32Array, nRows: number, options?: ContribsOptions): Promise<Float64Array>;
  /** Stops the workers; pending calls reject with EvaluatorError code POOL_CLOSED. */
  close(): Promise<void>;
}

/** Rows below which a batch is not split further: a slice costs a message each way (tens of µs). */
const MIN_SLICE_ROWS = 128;

let workerSource: string | undefined;

interface Shape {
  numFeatures: number;
  numGroups: number;
  predictionWidth: number;
}

/** A slice's reusable input and output buffers, shared with the worker. */
interface Staging {
  input: SharedArrayBuffer;
  output: SharedArrayBuffer;
}

interface Job {
  rows: number;
  staging: Staging;
  resolve(): void;
  reject(error: Error): void;
}

/** Free staging buffers kept per worker: enough for a few concurrent calls, without hoarding memory. */
const KEEP_STAGING = 2;

function toError(error: WorkerError, fallback: EvaluatorErrorCode): EvaluatorError {
  const known = (Object.values(Code) as string[]).includes(error.code ?? '');
  return new EvaluatorError(known ? (error.code as EvaluatorErrorCode) : fallback, error.message);
}

/** One worker thread and the calls it has not answered yet. */
class PoolWorker {
  readonly worker: Worker;
  readonly jobs = new Map<number, Job>();
  rows = 0;
  readonly ready: Promise<Shape>;
  private readonly free: Staging[] = [];

  constructor(init: WorkerInit, onExit: (self: PoolWorker) => void) {
    workerSource ??= Buffer.from(POOL_WORKER_SOURCE, 'base64').toString('utf8');
    this.worker = new Worker(workerSource, { eval: true, workerData: init });
    this.ready = new Promise<Shape>((resolve, reject) => {
      this.worker.on('message', (reply: WorkerReply) => {
        if (reply.kind === 'ready') return resolve(reply);
        if (reply.kind !== 'failed') return this.settle(reply);
        const error = toError(reply.error, Code.POOL_WORKER_FAILED);
        reject(error);
        this.fail(error);
      });
      this.worker.once('exit', (code) => {
        reject(
          new EvaluatorError(Code.POOL_WORKER_FAILED, `prediction worker exited (code ${code}) before it was ready`),
        );
        onExit(this);
      });
      this.worker.on('error', () => undefined);
    });
    this.ready.then(
      () => this.idle(),
      () => undefined,
    );
  }

  /** Staging buffers of at least these sizes: a free one, or new ones (sized with room to grow). */
  stage(inputBytes: number, outputBytes: number): Staging {
    const i = this.free.findIndex((s) => s.input.byteLength >= inputBytes && s.output.byteLength >= outputBytes);
    if (i >= 0) return this.free.splice(i, 1)[0]!;
    const room = (bytes: number) => Math.max(64 * 1024, 2 ** Math.ceil(Math.log2(Math.max(1, bytes))));
    return { input: new SharedArrayBuffer(room(inputBytes)), output: new SharedArrayBuffer(room(outputBytes)) };
  }

  /** Hands a slice to the worker; its rows are already in `job.staging.input`. */
  send(request: Omit<WorkerRequest, 'input' | 'output'>, job: Job): void {
    if (this.jobs.size === 0) this.worker.ref();
    this.jobs.set(request.id, job);
    this.rows += job.rows;
    this.worker.postMessage({ ...request, input: job.staging.input, output: job.staging.output });
  }

  /** Returns a slice's buffers for reuse once its output has been read. */
  release(staging: Staging): void {
    if (this.free.length < KEEP_STAGING) this.free.push(staging);
  }

  /** Rejects every unanswered call. */
  fail(error: EvaluatorError): void {
    for (const job of this.jobs.values()) job.reject(error);
    this.jobs.clear();
    this.rows = 0;
  }

  private settle(reply: Extract<WorkerReply, { id: number }>): void {
    const job = this.jobs.get(reply.id);
    if (!job) return;
    this.jobs.delete(reply.id);
    this.rows -= job.rows;
    if (reply.kind === 'result') job.resolve();
    else job.reject(toError(reply.error, Code.POOL_WORKER_FAILED));
    this.idle();
  }

  // An idle pool does not keep the process alive; a busy one does, until its calls are answered.
  private idle(): void {
    if (this.jobs.size === 0) this.worker.unref();
  }
}

class Pool implements PredictionPool {
  readonly threads: number;
  private readonly workers: PoolWorker[];
  private shape: Shape = { numFeatures: 0, numGroups: 0, predictionWidth: 0 };
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly init: WorkerInit,
    threads: number,
  ) {
    this.threads = threads;
    this.workers = Array.from({ length: threads }, () => this.spawn());
  }

  async start(): Promise<void> {
    try {
      this.shape = (await Promise.all(this.workers.map((w) => w.ready)))[0]!;
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  predictBatch(x: Float32Array, nRows: number): Promise<Float64Array> {
    return this.run('predict', x, nRows, this.shape.predictionWidth, undefined);
  }

  predictContribsBatch(x: Float32Array, nRows: number, options: ContribsOptions = {}): Promise<Float64Array> {
    const { group } = options;
    if (group instanceof Int32Array && group.length !== nRows) {
      return Promise.reject(
        new EvaluatorError(Code.INPUT_SHAPE, `expected a group for each of ${nRows} rows, got ${group.length}`),
      );
    }
    const width = (group === undefined ? this.shape.numGroups : 1) * (this.shape.numFeatures + 1);
    return this.run('contribs', x, nRows, width, options);
  }

  async close(): Promise<void> {
    this.closed = true;
    const error = new EvaluatorError(Code.POOL_CLOSED, 'the prediction pool is closed');
    for (const w of this.workers) w.fail(error);
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }

  private spawn(): PoolWorker {
    return new PoolWorker(this.init, (dead) => {
      dead.fail(new EvaluatorError(Code.POOL_WORKER_FAILED, 'a prediction worker stopped unexpectedly'));
      const i = this.workers.indexOf(dead);
      if (!this.closed && i >= 0) this.workers[i] = this.spawn();
    });
  }

  private async run(
    kind: WorkerRequest['kind'],
    x: Float32Array,
    nRows: number,
    width: number,
    options: ContribsOptions | undefined,
  ): Promise<Float64Array> {
    if (this.closed) throw new EvaluatorError(Code.POOL_CLOSED, 'the prediction pool is closed');
    const F = this.shape.numFeatures;
    if (!(x instanceof Float32Array) || !Number.isInteger(nRows) || nRows < 0 || x.length < nRows * F) {
      const got = x instanceof Float32Array ? `${x.length} values` : 'no Float32Array';
      throw new EvaluatorError(
        Code.INPUT_SHAPE,
        `expected ${nRows} rows of ${F} features (${nRows * F} values), got ${got}`,
      );
    }
    const out = new Float64Array(nRows * width);
    const slices = Math.min(this.threads, Math.ceil(nRows / MIN_SLICE_ROWS));
    const parts: Promise<void>[] = [];
    for (let s = 0; s < slices; s++) {
      const begin = Math.floor((nRows * s) / slices);
      const end = Math.floor((nRows * (s + 1)) / slices);
      const worker = this.leastBusy();
      const staging = worker.stage((end - begin) * F * 4, (end - begin) * width * 8);
      new Float32Array(staging.input, 0, (end - begin) * F).set(x.subarray(begin * F, end * F));
      const request: Omit<WorkerRequest, 'input' | 'output'> = { id: this.nextId++, kind, nRows: end - begin };
      const group = options?.group;
      if (options) request.options = group instanceof Int32Array ? { group: group.slice(begin, end) } : options;
      const done = new Promise<void>((resolve, reject) =>
        worker.send(request, { rows: end - begin, staging, resolve, reject }),
      );
      parts.push(
        done.then(() => {
          out.set(new Float64Array(staging.output, 0, (end - begin) * width), begin * width);
          worker.release(staging);
        }),
      );
    }
    await Promise.all(parts);
    return out;
  }

  /** The worker with the fewest rows outstanding. */
  private leastBusy(): PoolWorker {
    let target = this.workers[0]!;
    for (const w of this.workers) if (w.rows < target.rows) target = w;
    return target;
  }
}

/**
 * Parses `modelBytes` once per worker (JSON or UBJSON, as parseModel). threads defaults to os.availableParallelism().
 *
 * Each worker is an eval worker started from one self-contained script (pool-worker-source.ts: the
 * worker entry and the evaluator, bundled by esbuild), so the pool needs no file of its own at run time
 * and works the same from TypeScript sources (tsx, jest) and from a single-file bundle. Rejects with the
 * model's EvaluatorError when it does not parse.
 *
 * @example const pool = await createPredictionPool(readFileSync('xgboost-model')); await pool.predictBatch(x, nRows); await pool.close();
 */
export async function createPredictionPool(
  modelBytes: Uint8Array,
  options: { threads?: number; parse?: ParseOptions } = {},
): Promise<PredictionPool> {
  const threads = options.threads ?? availableParallelism();
  if (!Number.isInteger(threads) || threads < 1) {
    throw new EvaluatorError(Code.POOL_OPTIONS_INVALID, `threads must be a whole number >= 1, got ${String(threads)}`);
  }
  if (!(modelBytes instanceof Uint8Array)) {
    throw new EvaluatorError(Code.POOL_OPTIONS_INVALID, 'modelBytes must be a Uint8Array');
  }
  const pool = new Pool({ modelBytes, parse: options.parse ?? {} }, threads);
  await pool.start();
  return pool;
}
