import type { BufferedLakeWriter } from '@lead-scoring/lake';
import type { FirehoseFallbackSink, LakePlacement } from '@lead-scoring/lake/firehose';
import type { ObsLogger } from '@lead-scoring/metrics';
import type { EmfLakeObserver } from '@lead-scoring/metrics/emf';
import { API_ERROR_STATUS, errorBody, type ApiResponse } from '@lead-scoring/score-api';

/** Stable codes of the Lambda lake's log lines; runbooks and log queries match on them. */
export const LambdaLakeLogCode = {
  /** Firehose refused records after its retries; the fallback object under `_failed/` holds them (warn). */
  LAKE_RECORDS_FALLBACK: 'LAKE_RECORDS_FALLBACK',
  /** Neither Firehose nor the fallback took the records: the invocation answers 503 LAKE_UNAVAILABLE (error). */
  LAKE_UNAVAILABLE: 'LAKE_UNAVAILABLE',
  /** The lake writer's flush threw, which it is not expected to do (error). */
  LAKE_FLUSH_FAILED: 'LAKE_FLUSH_FAILED',
} as const;

/** Options of {@link flushLake}. */
export interface LakeFlushOptions {
  readonly writer: BufferedLakeWriter;
  /** The sink behind `writer`: Firehose, then the S3 fallback. */
  readonly sink: FirehoseFallbackSink;
  readonly observer?: EmfLakeObserver | null;
  /** Most time spent placing the records per invocation, ms (default 1,500). */
  readonly budgetMs?: number;
  /** Time kept free before the Lambda timeout, ms (default 250). */
  readonly safetyMs?: number;
  readonly logger?: ObsLogger;
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * Places the invocation's lake records within `min(budgetMs, remainingMs - safetyMs)`: Firehose first, then one
 * S3 fallback object for the records it still refuses. Counts and logs where they went, and returns it; records
 * it reports `unplaced` are held nowhere, so the invocation must not answer as if they were recorded. Nothing
 * stays buffered for a later invocation (Lambda may freeze or recycle the environment once the handler returns).
 * Never throws.
 *
 * @example
 * const placed = await flushLake({ writer, sink, observer: emf.lakeObserver }, context.getRemainingTimeInMillis());
 * if (placed.unplaced > 0) return lakeUnavailable(res);
 */
export async function flushLake(opts: LakeFlushOptions, remainingMs = Infinity): Promise<LakePlacement> {
  const logger = opts.logger ?? console;
  const budget = Math.max(0, Math.min(opts.budgetMs ?? 1_500, remainingMs - (opts.safetyMs ?? 250)));
  opts.sink.begin(Date.now() + budget);
  try {
    // No deadline here: the sink keeps to its own and never rejects, so the writer sends every batch once.
    await opts.writer.flush();
  } catch (err) {
    logger.error('lake flush failed', { code: LambdaLakeLogCode.LAKE_FLUSH_FAILED, error: message(err) });
  }
  const placed = await opts.sink.settle();
  const refused = placed.fallback + placed.unplaced;
  const o = opts.observer;
  if (o) {
    if (placed.delivered > 0) o.written(placed.delivered);
    if (refused > 0) o.failed(refused);
    if (placed.fallback > 0) o.fallback(placed.fallback);
    if (placed.unplaced > 0) o.unplaced(placed.unplaced);
  }
  if (placed.fallback > 0) {
    logger.warn('lake records refused by Firehose went to the fallback object', {
      code: LambdaLakeLogCode.LAKE_RECORDS_FALLBACK,
      records: placed.fallback,
      bytes: placed.object?.bytes,
      object: placed.object ? `s3://${placed.object.bucket}/${placed.object.key}` : undefined,
      error: message(placed.firehoseError),
    });
  }
  if (placed.unplaced > 0) {
    logger.error('lake records could not be placed: the invocation answers 503 LAKE_UNAVAILABLE', {
      code: LambdaLakeLogCode.LAKE_UNAVAILABLE,
      records: placed.unplaced,
      error: message(placed.fallbackError),
      firehoseError: message(placed.firehoseError),
    });
  }
  return placed;
}

/**
 * The answer an invocation gives instead of `res` when its scored leads could not be recorded: the score API's
 * 503 LAKE_UNAVAILABLE, with Retry-After and the same request id, and no scores.
 *
 * @example
 * return toApiGatewayResult(placed.unplaced > 0 ? lakeUnavailable(res) : res);
 */
export function lakeUnavailable(res: ApiResponse): ApiResponse {
  const requestId = res.headers['x-request-id'];
  return {
    status: API_ERROR_STATUS.LAKE_UNAVAILABLE,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      ...(requestId ? { 'x-request-id': requestId } : {}),
      'retry-after': '1',
    },
    body: errorBody('LAKE_UNAVAILABLE', 'The scores cannot be recorded right now, so none are returned; retry shortly'),
  };
}
