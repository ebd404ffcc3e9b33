import { performance } from 'node:perf_hooks';

/**
 * Wall-clock milliseconds with sub-ms resolution, comparable across worker threads
 * (each thread's performance.now() has its own origin; timeOrigin + now() does not).
 */
export function epochMs(): number {
  return performance.timeOrigin + performance.now();
}
