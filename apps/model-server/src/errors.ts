/** Stable error codes of the model server; each maps to one HTTP status. Never rename: clients match on them. */
export const ModelServerErrorCode = {
  BAD_CSV: 'BAD_CSV',
  BAD_JSON: 'BAD_JSON',
  EMPTY_BODY: 'EMPTY_BODY',
  FEATURE_COUNT: 'FEATURE_COUNT',
  BAD_VALUE: 'BAD_VALUE',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_CONTENT_TYPE: 'UNSUPPORTED_CONTENT_TYPE',
  UNSUPPORTED_ACCEPT: 'UNSUPPORTED_ACCEPT',
  NOT_FOUND: 'NOT_FOUND',
  METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
  MODEL_NOT_READY: 'MODEL_NOT_READY',
  MODEL_LOAD_FAILED: 'MODEL_LOAD_FAILED',
  SELF_TEST_FAILED: 'SELF_TEST_FAILED',
  CONFIG_INVALID: 'CONFIG_INVALID',
  INTERNAL: 'INTERNAL',
} as const;

export type ModelServerErrorCode = (typeof ModelServerErrorCode)[keyof typeof ModelServerErrorCode];

const STATUS: Readonly<Record<ModelServerErrorCode, number>> = {
  BAD_CSV: 400,
  BAD_JSON: 400,
  EMPTY_BODY: 400,
  FEATURE_COUNT: 400,
  BAD_VALUE: 400,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_CONTENT_TYPE: 415,
  UNSUPPORTED_ACCEPT: 406,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  MODEL_NOT_READY: 503,
  MODEL_LOAD_FAILED: 500,
  SELF_TEST_FAILED: 500,
  CONFIG_INVALID: 500,
  INTERNAL: 500,
};

/**
 * A model-server failure with a stable `code`, its HTTP `status`, and the original `cause` kept.
 *
 * @example
 * throw new ModelServerError('FEATURE_COUNT', 'row 3 has 49 values, the model takes 50');
 */
export class ModelServerError extends Error {
  readonly code: ModelServerErrorCode;
  readonly status: number;

  constructor(code: ModelServerErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ModelServerError';
    this.code = code;
    this.status = STATUS[code];
  }
}
