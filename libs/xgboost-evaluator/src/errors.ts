/** Stable error codes of the evaluator. Never renumber or rename: callers match on them. */
export const EvaluatorErrorCode = {
  FORMAT_UNKNOWN: 'MODEL_FORMAT_UNKNOWN',
  LEGACY_BINARY: 'MODEL_LEGACY_BINARY',
  PARSE_FAILED: 'MODEL_PARSE_FAILED',
  INVALID: 'MODEL_INVALID',
  UNSUPPORTED_BOOSTER: 'MODEL_UNSUPPORTED_BOOSTER',
  UNSUPPORTED_OBJECTIVE: 'MODEL_UNSUPPORTED_OBJECTIVE',
  UNSUPPORTED_CATEGORICAL: 'MODEL_UNSUPPORTED_CATEGORICAL',
  UNSUPPORTED_MULTI_TARGET: 'MODEL_UNSUPPORTED_MULTI_TARGET',
  UNSUPPORTED_VERSION: 'MODEL_UNSUPPORTED_VERSION',
  INPUT_SHAPE: 'INPUT_SHAPE',
  POOL_OPTIONS_INVALID: 'POOL_OPTIONS_INVALID',
  POOL_CLOSED: 'POOL_CLOSED',
  POOL_WORKER_FAILED: 'POOL_WORKER_FAILED',
} as const;

export type EvaluatorErrorCode = (typeof EvaluatorErrorCode)[keyof typeof EvaluatorErrorCode];

/** Base error of the evaluator: a stable `code`, a readable message, the original `cause` kept. */
export class EvaluatorError extends Error {
  readonly code: EvaluatorErrorCode;

  constructor(code: EvaluatorErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EvaluatorError';
    this.code = code;
  }
}
