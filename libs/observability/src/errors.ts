/**
 * Stable error codes of the observability lib. Never rename or reuse one: logs and runbooks match on them.
 */
export const ObservabilityErrorCode = {
  /** A lake sink could not deliver some records; `undelivered` lists exactly which. */
  LAKE_SINK_FAILED: 'LAKE_SINK_FAILED',
  /** The drift baseline in the manifest is missing or malformed. */
  DRIFT_BASELINE_INVALID: 'DRIFT_BASELINE_INVALID',
  /** The drift report was given a bad argument (dates, paths, manifest). */
  DRIFT_REPORT_BAD_INPUT: 'DRIFT_REPORT_BAD_INPUT',
  /** The lake holds no rows in the requested range. */
  DRIFT_REPORT_NO_DATA: 'DRIFT_REPORT_NO_DATA',
  /** A Parquet file of the lake could not be read. */
  LAKE_READ_FAILED: 'LAKE_READ_FAILED',
} as const;

export type ObservabilityErrorCode = (typeof ObservabilityErrorCode)[keyof typeof ObservabilityErrorCode];

/**
 * An observability failure with a stable `code`; the original `cause` is kept.
 *
 * @example
 * if (err instanceof ObservabilityError && err.code === 'DRIFT_REPORT_NO_DATA') exit(2);
 */
export class ObservabilityError extends Error {
  readonly code: ObservabilityErrorCode;

  constructor(code: ObservabilityErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ObservabilityError';
    this.code = code;
  }
}

/**
 * A sink write that delivered only part of a batch. `undelivered` holds exactly the records to retry,
 * so a retry never duplicates the ones already delivered.
 *
 * @example
 * catch (e) { const retry = e instanceof LakeSinkError ? e.undelivered : batch; }
 */
export class LakeSinkError<T = unknown> extends ObservabilityError {
  readonly undelivered: readonly T[];

  constructor(message: string, undelivered: readonly T[], options?: { cause?: unknown }) {
    super(ObservabilityErrorCode.LAKE_SINK_FAILED, message, options);
    this.name = 'LakeSinkError';
    this.undelivered = undelivered;
  }
}
