import { MAX_DETAILS, type FeatureIssue } from '@lead-scoring/feature-schema';

/**
 * Stable error codes of the scoring API, each with the HTTP status it answers with.
 * Never rename or reuse a code: clients and dashboards match on them.
 */
export const API_ERROR_STATUS = {
  /** The body is not valid JSON. */
  INVALID_JSON: 400,
  /** `NaN`, `Infinity` or `-Infinity` spelled in the body (not JSON). */
  NON_FINITE_NUMBER: 400,
  /** Arrays/objects nested deeper than any valid request. */
  NESTING_TOO_DEEP: 400,
  /** The same key twice in one JSON object (JSON.parse would silently keep the last). */
  DUPLICATE_KEY: 400,
  /** `__proto__`, `constructor` or `prototype` used as a key. */
  FORBIDDEN_KEY: 400,
  /** A query parameter is malformed, e.g. `?explain=abc`. */
  INVALID_QUERY: 400,
  /** The body has the wrong shape, or every lead in it is invalid (details name the row and feature). */
  VALIDATION_FAILED: 422,
  /** One lead of a batch is invalid: the code of its result's `error`; the other leads are scored (200). */
  INVALID_LEAD: 422,
  /** The batch holds no rows. */
  EMPTY_BATCH: 422,
  /** More rows than MAX_ROWS. */
  TOO_MANY_ROWS: 413,
  /** `?explain=N` on more leads than MAX_EXPLAIN_ROWS. */
  EXPLAIN_TOO_MANY_ROWS: 413,
  /** A body larger than MAX_BODY_BYTES. */
  BODY_TOO_LARGE: 413,
  /** A Content-Type other than application/json. */
  UNSUPPORTED_MEDIA_TYPE: 415,
  /** A missing or wrong `x-api-key` while API_KEYS is set. */
  UNAUTHORIZED: 401,
  /** A route that exists, with another method. */
  METHOD_NOT_ALLOWED: 405,
  /** No such route. */
  NOT_FOUND: 404,
  /** The model is still loading. */
  NOT_READY: 503,
  /** The scored leads could not be recorded (the lake's spool is unwritable): nothing is returned, retry later. */
  LAKE_UNAVAILABLE: 503,
  /** A bug: never expected, logged with its cause. */
  INTERNAL: 500,
} as const;

export type ApiErrorCode = keyof typeof API_ERROR_STATUS;

/** One problem with a request; `row` is 0-based in request order. */
export type ErrorDetail = FeatureIssue;

/**
 * An API failure with a stable `code`, the HTTP `status` it maps to, optional `details`
 * (at most {@link MAX_DETAILS}) and the original `cause` kept.
 *
 * @example
 * throw new ApiError('EMPTY_BATCH', 'The request holds no rows');
 */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: readonly ErrorDetail[] | undefined;

  constructor(code: ApiErrorCode, message: string, options?: { details?: readonly ErrorDetail[]; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ApiError';
    this.code = code;
    this.status = API_ERROR_STATUS[code];
    this.details = options?.details;
  }
}

/** Error bodies list at most this many details, so a 1,000-row garbage batch gets a small answer. */
export { MAX_DETAILS };

/**
 * The JSON error body every 4xx/5xx carries: `{"error":{"code","message","details"?}}`.
 *
 * @example
 * errorBody('NOT_FOUND', 'No route GET /nope'); // '{"error":{"code":"NOT_FOUND",...}}'
 */
export function errorBody(code: string, message: string, details?: readonly ErrorDetail[]): string {
  const error = details && details.length > 0 ? { code, message, details } : { code, message };
  return JSON.stringify({ error });
}

/** Stable codes of the shadow model's start-up checks (never HTTP answers: a bad shadow stops the server starting). */
export const ShadowErrorCode = {
  /** The shadow model needs a feature production's requests do not carry, or one they may leave missing. */
  SHADOW_CONTRACT_MISMATCH: 'SHADOW_CONTRACT_MISMATCH',
} as const;
export type ShadowErrorCode = (typeof ShadowErrorCode)[keyof typeof ShadowErrorCode];

/**
 * A shadow model that cannot be served beside production; the message lists every problem.
 *
 * @example
 * throw new ShadowError('SHADOW_CONTRACT_MISMATCH', 'the shadow model needs features production does not have: x');
 */
export class ShadowError extends Error {
  readonly code: ShadowErrorCode;
  constructor(code: ShadowErrorCode, message: string) {
    super(message);
    this.name = 'ShadowError';
    this.code = code;
  }
}
