/**
 * Stable error codes of the scoring client. Never rename or reuse one: the API and dashboards match on them.
 * Each code maps to the HTTP status the API answers with when the scorer fails.
 */
export const ScoringErrorCode = {
  UPSTREAM_TIMEOUT: 'UPSTREAM_TIMEOUT',
  UPSTREAM_UNAVAILABLE: 'UPSTREAM_UNAVAILABLE',
  CIRCUIT_OPEN: 'CIRCUIT_OPEN',
  UPSTREAM_ERROR: 'UPSTREAM_ERROR',
  UPSTREAM_BAD_RESPONSE: 'UPSTREAM_BAD_RESPONSE',
  CONFIG_INVALID: 'SCORER_CONFIG_INVALID',
} as const;

export type ScoringErrorCode = (typeof ScoringErrorCode)[keyof typeof ScoringErrorCode];

/** HTTP status per code: 504 for a missed deadline, 503 when the endpoint is unreachable, 502 for a bad answer. */
export const SCORING_ERROR_STATUS: Readonly<Record<ScoringErrorCode, number>> = {
  UPSTREAM_TIMEOUT: 504,
  UPSTREAM_UNAVAILABLE: 503,
  CIRCUIT_OPEN: 503,
  UPSTREAM_ERROR: 502,
  UPSTREAM_BAD_RESPONSE: 502,
  SCORER_CONFIG_INVALID: 500,
};

/**
 * A scoring failure with a stable `code`, the HTTP `status` it maps to, and the original `cause` kept.
 *
 * @example
 * if (err instanceof ScoringError) reply(err.status, { error: { code: err.code, message: err.message } });
 */
export class ScoringError extends Error {
  readonly code: ScoringErrorCode;
  readonly status: number;

  constructor(code: ScoringErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ScoringError';
    this.code = code;
    this.status = SCORING_ERROR_STATUS[code];
  }
}

/**
 * Invalid scorer configuration found at start-up; `variable` names the environment variable at fault.
 *
 * @example
 * try { createScorerFromEnv({ bundle }) } catch (e) { if (e instanceof ScoringConfigError) die(e.message) }
 */
export class ScoringConfigError extends ScoringError {
  readonly variable: string;

  constructor(variable: string, message: string, options?: { cause?: unknown }) {
    super(ScoringErrorCode.CONFIG_INVALID, `${variable}: ${message}`, options);
    this.name = 'ScoringConfigError';
    this.variable = variable;
  }
}
