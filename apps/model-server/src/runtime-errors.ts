import type { ModelServerError } from './errors';

/** An error as the SageMaker Runtime service sends it: status, `x-amzn-ErrorType`, JSON body. */
export interface RuntimeErrorReply {
  status: number;
  errorType: string;
  body: Record<string, unknown>;
}

/**
 * Shapes a model-server error the way the SageMaker Runtime API reports it, so SDKs raise the same
 * exception classes as against AWS: a model's own 4xx/5xx becomes HTTP 424 `ModelError` carrying
 * `OriginalStatusCode` and `OriginalMessage`; a model still loading is a retryable 503 `ServiceUnavailable`;
 * an oversized body is a 413 `ValidationError`.
 */
export function runtimeError(err: ModelServerError): RuntimeErrorReply {
  if (err.code === 'MODEL_NOT_READY') {
    return { status: 503, errorType: 'ServiceUnavailable', body: { message: err.message } };
  }
  if (err.code === 'PAYLOAD_TOO_LARGE') {
    return { status: 413, errorType: 'ValidationError', body: { message: err.message } };
  }
  const kind = err.status >= 500 ? 'server' : 'client';
  const original = JSON.stringify({ error: { code: err.code, message: err.message } });
  return {
    status: 424,
    errorType: 'ModelError',
    body: {
      ErrorCode: `${kind.toUpperCase()}_ERROR_FROM_MODEL`,
      OriginalStatusCode: err.status,
      OriginalMessage: original,
      LogStreamArn: '',
      Message: `Received ${kind} error (${err.status}) from primary with message "${original}".`,
    },
  };
}
