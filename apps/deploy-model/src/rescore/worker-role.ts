import { workerData } from 'node:worker_threads';
import type { WorkerSetup } from './chunk-processor';

/** What the pool passes a rescore worker thread (`workerData`). */
export interface RescoreWorkerData {
  readonly role: 'rescore-worker';
  readonly setup: WorkerSetup;
}

/**
 * True in a thread the rescore pool started: main.ts then runs the worker instead of the CLI. A module of its own so
 * that the CLI's start does not load the scoring code to ask.
 */
export function isRescoreWorker(data: unknown = workerData): data is RescoreWorkerData {
  return typeof data === 'object' && data !== null && (data as { role?: unknown }).role === 'rescore-worker';
}
