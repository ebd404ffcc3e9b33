import http from 'node:http';
import https from 'node:https';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { TRANSPORT_ERRORS, type Outcome, type Target } from '../engine/outcome';

/** Options of {@link createSageMakerTarget}. */
export interface SageMakerTargetOptions {
  endpointName: string;
  region: string;
  /** A SageMaker-compatible server such as `npm run model-server` (then any credentials do). */
  endpointUrl?: string;
  maxSockets: number;
  timeoutMs: number;
}

/**
 * Invokes a SageMaker endpoint through the real SDK with CSV bodies. SDK retries are off
 * (maxAttempts 1): a load test must see every throttle and 5xx, not the retried outcome.
 *
 * @example
 * createSageMakerTarget({ endpointName: 'lead-scoring', region: 'eu-west-1', maxSockets: 256, timeoutMs: 10_000 });
 */
export function createSageMakerTarget(opts: SageMakerTargetOptions): Target {
  const agentOptions = { keepAlive: true, maxSockets: opts.maxSockets };
  const client = new SageMakerRuntimeClient({
    region: opts.region,
    maxAttempts: 1,
    ...(opts.endpointUrl === undefined ? {} : { endpoint: opts.endpointUrl }),
    requestHandler: {
      httpAgent: new http.Agent(agentOptions),
      httpsAgent: new https.Agent(agentOptions),
      requestTimeout: opts.timeoutMs,
    },
  });
  return {
    kind: 'sagemaker',
    send(body: Buffer, done: (outcome: Outcome) => void): void {
      const command = new InvokeEndpointCommand({
        EndpointName: opts.endpointName,
        ContentType: 'text/csv',
        Accept: 'text/csv',
        Body: body,
      });
      client.send(command).then(
        (res) => done({ status: res.$metadata.httpStatusCode ?? 200 }),
        (err: unknown) => done(classifySdkError(err)),
      );
    },
    close(): Promise<void> {
      client.destroy();
      return Promise.resolve();
    },
  };
}

/** An SDK failure with an HTTP status keeps it (ModelError = 4xx from the container); others are transport errors. */
export function classifySdkError(err: unknown): Outcome {
  const e = err as { $metadata?: { httpStatusCode?: number }; name?: string; code?: string };
  const status = e.$metadata?.httpStatusCode;
  if (typeof status === 'number' && status > 0) return { status };
  if (e.name === 'TimeoutError' || e.code === 'ETIMEDOUT' || e.name === 'RequestTimeout')
    return { error: TRANSPORT_ERRORS.TIMEOUT };
  if (e.code === 'ECONNREFUSED' || e.code === 'ECONNRESET' || e.code === 'EPIPE')
    return { error: TRANSPORT_ERRORS.CONNECTION };
  return { error: TRANSPORT_ERRORS.OTHER };
}
