import type { TargetConfig } from '../config';
import type { Target } from '../engine/outcome';
import { createHttpTarget } from './http-target';
import { createRawHttpTarget } from './raw-http-target';
import { createLambdaTarget } from './lambda-target';
import { createSageMakerTarget } from './sagemaker-target';

/**
 * Builds the target a config names (each worker thread builds its own).
 *
 * @example
 * await createTarget({ target: { kind: 'http', url: 'http://localhost:8080/score' }, contentType: 'application/json', maxSockets: 300, timeoutMs: 10_000, firstBody });
 */
export async function createTarget(opts: {
  target: TargetConfig;
  contentType: string;
  maxSockets: number;
  timeoutMs: number;
  firstBody: Buffer;
  httpClient: 'raw' | 'node';
}): Promise<Target> {
  const { target } = opts;
  const key = (apiKey: string | undefined): { apiKey?: string } => (apiKey === undefined ? {} : { apiKey });
  switch (target.kind) {
    case 'http': {
      const url = new URL(target.url);
      const http = {
        url,
        contentType: opts.contentType,
        maxSockets: opts.maxSockets,
        timeoutMs: opts.timeoutMs,
        ...key(target.apiKey),
      };
      // The raw client speaks plain HTTP/1.1 only; https goes through node:https.
      return opts.httpClient === 'raw' && url.protocol === 'http:' ? createRawHttpTarget(http) : createHttpTarget(http);
    }
    case 'sagemaker':
      return createSageMakerTarget({
        endpointName: target.endpointName,
        region: target.region,
        maxSockets: opts.maxSockets,
        timeoutMs: opts.timeoutMs,
        ...(target.endpointUrl === undefined ? {} : { endpointUrl: target.endpointUrl }),
      });
    case 'lambda':
      return createLambdaTarget({
        handlerPath: target.handlerPath,
        contentType: opts.contentType,
        timeoutMs: opts.timeoutMs,
        firstBody: opts.firstBody,
        ...key(target.apiKey),
      });
  }
}
