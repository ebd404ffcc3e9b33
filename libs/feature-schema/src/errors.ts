/**
 * Stable error codes of the feature contract. Never rename: the API maps the request codes to the
 * HTTP errors of the same name, and operators match on them.
 */
export const FeatureSchemaErrorCode = {
  /** A feature list (manifest `features`) is empty, has a duplicate or malformed name, or an empty range. */
  FEATURE_SPEC_INVALID: 'FEATURE_SPEC_INVALID',
  /** A score request holds no leads. */
  EMPTY_BATCH: 'EMPTY_BATCH',
  /** A score request holds more leads than allowed. */
  TOO_MANY_ROWS: 'TOO_MANY_ROWS',
  /** A score request has the wrong shape, or every lead in it is invalid (`details` say where). */
  VALIDATION_FAILED: 'VALIDATION_FAILED',
} as const;

export type FeatureSchemaErrorCode = (typeof FeatureSchemaErrorCode)[keyof typeof FeatureSchemaErrorCode];

/** One problem found in a request: `row` is the lead's 0-based position, `feature` its name. */
export interface FeatureIssue {
  row?: number;
  feature?: string;
  problem: string;
}

/**
 * A feature list or a score request that cannot be used, with a stable `code` and, for requests,
 * up to 20 `details`.
 *
 * @example
 * throw new FeatureSchemaError('EMPTY_BATCH', 'The request holds no leads');
 */
export class FeatureSchemaError extends Error {
  readonly code: FeatureSchemaErrorCode;
  readonly details: readonly FeatureIssue[] | undefined;

  constructor(
    code: FeatureSchemaErrorCode,
    message: string,
    options?: { details?: readonly FeatureIssue[]; cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FeatureSchemaError';
    this.code = code;
    this.details = options?.details;
  }
}
