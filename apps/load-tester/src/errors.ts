/** Process exit codes of `npm run load-test`; stable, scripts and CI rely on them. */
export const EXIT = Object.freeze({
  /** The run finished and every SLO held (or none was given). */
  OK: 0,
  /** An unexpected failure inside the load tester itself. */
  INTERNAL: 1,
  /** Bad flags or inputs: nothing was measured. */
  USAGE: 2,
  /** The run finished and at least one SLO failed. */
  SLO_FAILED: 3,
  /** The generator could not keep its schedule: the measurement is not trustworthy. */
  GENERATOR_LATE: 4,
});

/** Stable error codes of the load tester, each mapped to an exit code. */
export const ERROR_CODES = Object.freeze({
  INVALID_FLAG: EXIT.USAGE,
  INVALID_DURATION: EXIT.USAGE,
  INVALID_STAGES: EXIT.USAGE,
  INVALID_SLO: EXIT.USAGE,
  UNKNOWN_SLO_METRIC: EXIT.USAGE,
  INVALID_ENV: EXIT.USAGE,
  TARGET_UNREACHABLE: EXIT.USAGE,
  HANDLER_LOAD_FAILED: EXIT.USAGE,
  INVALID_BUNDLE: EXIT.USAGE,
  REPORT_WRITE_FAILED: EXIT.INTERNAL,
  WORKER_FAILED: EXIT.INTERNAL,
});

/** One of {@link ERROR_CODES}' keys. */
export type LoadTestErrorCode = keyof typeof ERROR_CODES;

/**
 * The one error type the load tester throws on purpose; `main` prints `message` and exits with `exitCode`.
 *
 * @example
 * throw new LoadTestError('INVALID_DURATION', 'bad --duration "10 parsecs": use e.g. 30s, 500ms, 2m');
 */
export class LoadTestError extends Error {
  readonly code: LoadTestErrorCode;
  readonly exitCode: number;

  constructor(code: LoadTestErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LoadTestError';
    this.code = code;
    this.exitCode = ERROR_CODES[code];
  }
}
