import type { Context } from 'aws-lambda';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { S3Client } from '@aws-sdk/client-s3';
import type { ModelBundle } from '@lead-scoring/model-bundle';
import { errorBody } from '@lead-scoring/score-api';
import { createApp, type App } from './app';
import type { ApiConfig } from './config';
import { toApiGatewayResult, toApiRequest, type ApiGatewayEvent, type ApiGatewayResult } from './lambda-event';
import { createLambdaObservability, type LambdaHooks } from './lambda-observability';
import { loadModelBundle } from './model-source';
import { loadShadow } from './shadow';

/** A built Lambda handler and what it runs on. */
export interface LambdaHandler {
  /** The Middy-wrapped handler Lambda invokes (adds the invocation context to every log line). */
  handler: middy.MiddyfiedHandler<ApiGatewayEvent, ApiGatewayResult, Error, Context>;
  /** The same without Middy, for benchmarks and tests. */
  handleEvent(event: ApiGatewayEvent): Promise<ApiGatewayResult>;
  /** Resolves once the bundle is loaded and the app built; rejects when the bundle cannot load. */
  app: Promise<App>;
  logger: Logger;
}

/** Options of {@link createLambdaHandler}. */
export interface LambdaHandlerOptions {
  config: ApiConfig;
  /**
   * Builds the hooks of the loaded bundle (`shadow`: a shadow model runs); default: EMF metrics and the Firehose
   * lake (lambda-observability.ts).
   */
  hooks?: (bundle: ModelBundle, shadow: boolean) => LambdaHooks;
  /** S3 client for the model (MODEL_S3_URI) and the lake fallback (LAKE_FALLBACK_S3_URI); default: made when needed. */
  s3?: S3Client;
  env?: NodeJS.ProcessEnv;
}

/**
 * Builds the Lambda handler: starts loading the model right away (container init), then builds the API for
 * that bundle's contract, and answers API Gateway REST (v1) and HTTP API (v2) events through the shared API
 * core. Invocations that arrive while the model is loading wait for it; if it cannot load they get 503 NOT_READY.
 * A 200's scored leads are recorded before it leaves; when they cannot be, the answer is 503 LAKE_UNAVAILABLE.
 * With a shadow model (SHADOW_MODEL_S3_URI), it scores the leads once the answer is built, and its result is
 * recorded beside them; a shadow model that fails to load or cannot score production's requests fails the load.
 *
 * @example
 * export const { handler } = createLambdaHandler({ config: loadConfig() });
 */
export function createLambdaHandler(opts: LambdaHandlerOptions): LambdaHandler {
  const logger = new Logger({ serviceName: 'lead-scoring-api', logLevel: opts.config.logLevel });
  const started = performance.now();
  let hooks: LambdaHooks = {};
  const s3 = opts.s3 ? { s3: opts.s3 } : {};
  const shadowSource = opts.config.shadow.source;
  const app = loadModelBundle(opts.config.model, s3).then(async (bundle) => {
    const shadow = shadowSource ? await loadShadow(shadowSource, bundle, s3) : null;
    const defaults = (b: ModelBundle, sh: boolean): LambdaHooks =>
      createLambdaObservability({ logger, bundle: b, shadow: sh, ...(opts.env ? { env: opts.env } : {}), ...s3 });
    hooks = (opts.hooks ?? defaults)(bundle, shadow !== null);
    const built = createApp(opts.config, { bundle, logger, hooks, shadow, ...(opts.env ? { env: opts.env } : {}) });
    logger.info('model loaded', {
      model: bundle.manifest.name,
      version: bundle.manifest.version,
      features: bundle.contract.size,
      source: bundle.dir,
      scorer: built.scorer.kind,
      ...(shadow ? { shadow: `${shadow.bundle.manifest.name}@${shadow.bundle.manifest.version}` } : {}),
      loadMs: Math.round(performance.now() - started),
    });
    return built;
  });
  let ready: App | undefined;
  let loadFailed = false;
  app.then(
    (a) => (ready = a),
    (error: unknown) => {
      loadFailed = true;
      logger.error('model failed to load', { error: error as Error });
    },
  );

  async function handleEvent(event: ApiGatewayEvent, context?: Context): Promise<ApiGatewayResult> {
    const current = ready ?? (await app.catch(() => undefined));
    if (!current || loadFailed) {
      return {
        statusCode: 503,
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: errorBody('NOT_READY', 'The model failed to load; see the function logs'),
      };
    }
    const res = await current.api.handleRequest(toApiRequest(event));
    // Lambda freezes the process once we return, so the observability hooks run now, before it.
    current.api.notify(res);
    // Lambda answers only when the handler returns: the shadow model runs now, its result joining the lake records
    // that leave with this invocation, within SHADOW_TIMEOUT_MS; whatever it does, the answer stays `res`.
    if (current.shadow) await current.shadow.idle(opts.config.shadow.timeoutMs);
    // Lake records and EMF metrics leave before we return, and decide the answer: see docs/observability.md ("Lambda").
    const answer = hooks.settle ? await hooks.settle(res, context?.getRemainingTimeInMillis?.()) : res;
    return toApiGatewayResult(answer);
  }

  const handler = middy<ApiGatewayEvent, ApiGatewayResult, Error, Context>(handleEvent).use(
    injectLambdaContext(logger),
  );
  return { handler, handleEvent, app, logger };
}
