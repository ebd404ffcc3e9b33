import type { Context } from 'aws-lambda';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { S3Client } from '@aws-sdk/client-s3';
import { errorBody } from '@lead-scoring/score-api';
import { createApp, type App } from './app';
import type { ApiConfig } from './config';
import { createLambdaHooks, type ApiHooks } from './hooks';
import { toApiGatewayResult, toApiRequest, type ApiGatewayEvent, type ApiGatewayResult } from './lambda-event';

/** A built Lambda handler and what it runs on. */
export interface LambdaHandler {
  /** The Middy-wrapped handler Lambda invokes (adds the invocation context to every log line). */
  handler: middy.MiddyfiedHandler<ApiGatewayEvent, ApiGatewayResult, Error, Context>;
  /** The same without Middy, for benchmarks and tests. */
  handleEvent(event: ApiGatewayEvent): Promise<ApiGatewayResult>;
  app: App;
  logger: Logger;
}

/**
 * Builds the Lambda handler: starts loading the model right away (container init), and answers
 * API Gateway REST (v1) and HTTP API (v2) events through the shared API core. Invocations that arrive
 * while the model is loading wait for it; if it cannot load they get 503 NOT_READY.
 *
 * @example
 * export const { handler } = createLambdaHandler({ config: loadConfig() });
 */
export function createLambdaHandler(opts: { config: ApiConfig; hooks?: ApiHooks; s3?: S3Client; env?: NodeJS.ProcessEnv }): LambdaHandler {
  const logger = new Logger({ serviceName: 'lead-scoring-api', logLevel: opts.config.logLevel });
  const hooks = opts.hooks ?? createLambdaHooks({ logger, ...(opts.env ? { env: opts.env } : {}) });
  const app = createApp(opts.config, {
    logger,
    hooks,
    ...(opts.s3 ? { s3: opts.s3 } : {}),
    ...(opts.env ? { env: opts.env } : {}),
  });
  let loadFailed = false;
  app.scorer.catch((error: unknown) => {
    loadFailed = true;
    logger.error('model failed to load', { error: error as Error });
  });

  async function handleEvent(event: ApiGatewayEvent, context?: Context): Promise<ApiGatewayResult> {
    if (!app.api.isReady() && !loadFailed) await app.scorer.catch(() => undefined);
    if (loadFailed) {
      return {
        statusCode: 503,
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: errorBody('NOT_READY', 'The model failed to load; see the function logs'),
      };
    }
    const res = await app.api.handleRequest(toApiRequest(event));
    // Lambda freezes the process once we return, so the observability hooks run now, before it.
    app.api.notify(res);
    // Lake records and EMF metrics leave before we return: see docs/observability.md ("Lambda").
    await hooks.flush?.(context?.getRemainingTimeInMillis?.());
    return toApiGatewayResult(res);
  }

  const handler = middy<ApiGatewayEvent, ApiGatewayResult, Error, Context>(handleEvent).use(injectLambdaContext(logger));
  return { handler, handleEvent, app, logger };
}
