import type { BufferedLakeWriter } from '@lead-scoring/lake';
import type { ObsLogger } from '@lead-scoring/metrics';
import type { EmfRecorder } from '@lead-scoring/metrics/emf';

/** The part of the Lambda context the wrapper needs. */
export interface RemainingTime {
  getRemainingTimeInMillis(): number;
}

/** Options of {@link withFlushBeforeReturn}. */
export interface FlushBeforeReturnOptions {
  readonly writer?: BufferedLakeWriter | null;
  readonly emf?: EmfRecorder | null;
  /** Most time spent flushing per invocation, ms (default 1,500). */
  readonly budgetMs?: number;
  /** Time kept free before the Lambda timeout, ms (default 250). */
  readonly safetyMs?: number;
  readonly logger?: ObsLogger;
}

/**
 * Flushes the lake writer within `min(budgetMs, remainingMs - safetyMs)`, then publishes the EMF blob.
 * Records not delivered in time stay buffered (and a warning is logged); it never throws.
 *
 * @example
 * await flushObservability({ writer, emf }, context.getRemainingTimeInMillis());
 */
export async function flushObservability(opts: FlushBeforeReturnOptions, remainingMs = Infinity): Promise<void> {
  const logger = opts.logger ?? console;
  const budget = Math.max(0, Math.min(opts.budgetMs ?? 1_500, remainingMs - (opts.safetyMs ?? 250)));
  if (opts.writer) {
    try {
      await opts.writer.flush({ deadline: Date.now() + budget });
      if (opts.writer.queueDepth > 0) {
        logger.warn('lake records left buffered for the next invocation', { code: 'LAKE_FLUSH_DEFERRED', queued: opts.writer.queueDepth });
      }
    } catch (err) {
      logger.error('lake flush failed', { code: 'LAKE_FLUSH_FAILED', error: err instanceof Error ? err.message : String(err) });
    }
  }
  opts.emf?.publish();
}

/**
 * Wraps a Lambda handler so that lake records and EMF metrics are flushed BEFORE the invocation
 * resolves: once a handler returns, Lambda freezes the environment (timers stop) and may reap it,
 * so anything still buffered could be lost. The flush is bounded by `budgetMs` and by the remaining
 * invocation time; records not delivered in time stay buffered for the next invocation, and a warning
 * is logged. Errors of the handler still propagate, after the flush.
 *
 * @example
 * export const handler = withFlushBeforeReturn(baseHandler, { writer, emf });
 */
export function withFlushBeforeReturn<E, C extends Partial<RemainingTime> | undefined, R>(
  handler: (event: E, context: C) => Promise<R>,
  opts: FlushBeforeReturnOptions,
): (event: E, context: C) => Promise<R> {
  return async (event, context) => {
    try {
      return await handler(event, context);
    } finally {
      await flushObservability(opts, context?.getRemainingTimeInMillis?.() ?? Infinity);
    }
  };
}
