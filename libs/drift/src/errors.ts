/**
 * Stable error codes of the drift lib. Never rename or reuse one: logs, runbooks and the drift-report exit codes
 * match on them.
 */
export const DriftErrorCode = {
  /** The drift baseline in the manifest is missing or malformed. */
  DRIFT_BASELINE_INVALID: 'DRIFT_BASELINE_INVALID',
  /** The drift report was given a bad argument (dates, paths, manifest) or an unreadable lake. */
  DRIFT_REPORT_BAD_INPUT: 'DRIFT_REPORT_BAD_INPUT',
  /** The lake holds no rows in the requested range. */
  DRIFT_REPORT_NO_DATA: 'DRIFT_REPORT_NO_DATA',
} as const;

export type DriftErrorCode = (typeof DriftErrorCode)[keyof typeof DriftErrorCode];

/**
 * A drift failure with a stable `code`; the original `cause` is kept.
 *
 * @example
 * if (err instanceof DriftError && err.code === 'DRIFT_REPORT_NO_DATA') exit(2);
 */
export class DriftError extends Error {
  readonly code: DriftErrorCode;

  constructor(code: DriftErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DriftError';
    this.code = code;
  }
}
