import { BrokenCircuitError, IsolatedCircuitError, TaskCancelledError } from 'cockatiel';
import { ScoringError, ScoringErrorCode } from './errors';

interface SdkLikeError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  OriginalStatusCode?: number;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
]);
// The SDK wraps anything that is not an `Error` of its own realm (e.g. under Jest's VM contexts) as
// "AWS SDK error wrapper for Error: connect ECONNREFUSED ...", dropping `code`: the message still says it.
const NETWORK_MESSAGE =
  /\b(?:ECONNREFUSED|ECONNRESET|EPIPE|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN|ENOTFOUND)\b|socket hang up/i;
const TIMEOUT_MESSAGE = /\b(?:TimeoutError|AbortError|ETIMEDOUT)\b/;
const THROTTLING = new Set(['ThrottlingException', 'ModelNotReadyException', 'TooManyRequestsException']);
const UNAVAILABLE = new Set(['ServiceUnavailable', 'InternalDependencyException']);

const asSdk = (err: unknown): SdkLikeError => (typeof err === 'object' && err !== null ? (err as SdkLikeError) : {});

function isNetworkError(e: SdkLikeError): boolean {
  return (e.code !== undefined && NETWORK_CODES.has(e.code)) || NETWORK_MESSAGE.test(e.message ?? '');
}

/** The upstream's HTTP status, or for a SageMaker ModelError the model container's own status. */
function upstreamStatus(e: SdkLikeError): number | undefined {
  return e.name === 'ModelError' && e.OriginalStatusCode ? e.OriginalStatusCode : e.$metadata?.httpStatusCode;
}

/** True for failures worth retrying: throttling, 5xx (ours or the model container's) and refused/reset connections. */
export function isTransientUpstreamError(err: unknown): boolean {
  const e = asSdk(err);
  if (err instanceof ScoringError || err instanceof BrokenCircuitError) return false;
  if (THROTTLING.has(e.name ?? '') || UNAVAILABLE.has(e.name ?? '') || isNetworkError(e)) return true;
  const status = upstreamStatus(e);
  return status !== undefined && (status === 429 || status >= 500);
}

function isTimeout(err: unknown): boolean {
  const e = asSdk(err);
  return (
    err instanceof TaskCancelledError ||
    e.name === 'TimeoutError' ||
    e.name === 'AbortError' ||
    e.code === 'ETIMEDOUT' ||
    TIMEOUT_MESSAGE.test(e.message ?? '')
  );
}

/**
 * Maps whatever the SDK or the resilience policies threw to a `ScoringError` with the right status:
 * deadline 504, open circuit / unreachable / throttled 503, anything else from the endpoint 502.
 */
export function toScoringError(err: unknown, deadlineMs: number): ScoringError {
  if (err instanceof ScoringError) return err;
  const e = asSdk(err);
  const detail = `${e.name ?? 'Error'}: ${e.message ?? String(err)}`;
  if (err instanceof BrokenCircuitError || err instanceof IsolatedCircuitError) {
    return new ScoringError(
      ScoringErrorCode.CIRCUIT_OPEN,
      'SageMaker endpoint circuit is open after repeated failures',
      { cause: err },
    );
  }
  if (isTimeout(err)) {
    return new ScoringError(
      ScoringErrorCode.UPSTREAM_TIMEOUT,
      `SageMaker endpoint did not answer within ${deadlineMs} ms`,
      { cause: err },
    );
  }
  const status = upstreamStatus(e);
  if (
    isNetworkError(e) ||
    THROTTLING.has(e.name ?? '') ||
    UNAVAILABLE.has(e.name ?? '') ||
    status === 429 ||
    status === 503
  ) {
    return new ScoringError(ScoringErrorCode.UPSTREAM_UNAVAILABLE, `SageMaker endpoint unavailable (${detail})`, {
      cause: err,
    });
  }
  return new ScoringError(
    ScoringErrorCode.UPSTREAM_ERROR,
    `SageMaker endpoint failed (${status ?? 'no status'}; ${detail})`,
    { cause: err },
  );
}
