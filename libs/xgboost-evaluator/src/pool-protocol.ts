// Messages between a prediction pool (pool.ts) and its workers (pool-worker.ts).
import type { ContribsOptions, ParseOptions } from './types';

/** What each worker starts from. */
export interface WorkerInit {
  modelBytes: Uint8Array;
  parse: ParseOptions;
}

/**
 * One slice of a call: `nRows` rows (float32) at the start of `input`; the worker writes its answer
 * (float64) at the start of `output`. Both are staging buffers the pool reuses, so no call allocates
 * (allocating fresh megabytes costs more than copying them: 0.67 vs 0.07 ms for 10,000 rows of 50).
 */
export interface WorkerRequest {
  id: number;
  kind: 'predict' | 'contribs';
  input: SharedArrayBuffer;
  output: SharedArrayBuffer;
  nRows: number;
  options?: ContribsOptions;
}

/** An error crossing the thread boundary: an EvaluatorError's code, or none for anything else. */
export interface WorkerError {
  code: string | undefined;
  message: string;
}

export type WorkerReply =
  | { kind: 'ready'; numFeatures: number; numGroups: number; predictionWidth: number }
  | { kind: 'failed'; error: WorkerError }
  | { kind: 'result'; id: number }
  | { kind: 'error'; id: number; error: WorkerError };
