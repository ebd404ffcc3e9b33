import type { Logger } from '@aws-lambda-powertools/logger';
import type { S3Client } from '@aws-sdk/client-s3';
import { buildOpenApiDocument } from '@lead-scoring/feature-schema';
import type { ModelBundle } from '@lead-scoring/model-bundle';
import { createScoreApi, type ScoreApi } from '@lead-scoring/score-api';
import { createScorerFromEnv, type Scorer } from '@lead-scoring/scoring-client';
import type { ApiConfig } from './config';
import type { ApiHooks } from './hooks';
import { loadModelBundle } from './model-source';

/** The API of one process: the core, and the model loading behind it. */
export interface App {
  api: ScoreApi;
  /** Resolves once the model is loaded and the scorer built; rejects when the model cannot load. */
  scorer: Promise<Scorer>;
  bundle: Promise<ModelBundle>;
}

/**
 * Wires configuration, model loading, the scorer and the observability hooks into the API core.
 * The model starts loading at once; requests before it is ready get 503 NOT_READY.
 *
 * @example
 * const app = createApp(loadConfig(), { logger, hooks: createServerHooks() });
 * await app.scorer;
 */
export function createApp(
  cfg: ApiConfig,
  opts: { logger: Logger; hooks?: ApiHooks; s3?: S3Client; env?: NodeJS.ProcessEnv },
): App {
  const { logger } = opts;
  const started = performance.now();
  const hooks = opts.hooks ?? {};
  const bundle = loadModelBundle(cfg.model, opts.s3 ? { s3: opts.s3 } : {});
  const scorer = bundle.then((b) => {
    const s = createScorerFromEnv({ bundle: b, env: opts.env ?? process.env });
    logger.info('model loaded', {
      model: b.manifest.name,
      version: b.manifest.version,
      source: b.dir,
      scorer: s.kind,
      loadMs: Math.round(performance.now() - started),
    });
    hooks.onReady?.({ bundle: b, scorer: s });
    return s;
  });
  const api = createScoreApi({
    scorer,
    maxRows: cfg.maxRows,
    maxBodyBytes: cfg.maxBodyBytes,
    apiKeys: cfg.apiKeys,
    openApiDocument: buildOpenApiDocument,
    ...(hooks.metrics ? { metrics: hooks.metrics } : {}),
    ...(hooks.onRequest ? { onRequest: hooks.onRequest } : {}),
    ...(hooks.onScored ? { onScored: hooks.onScored } : {}),
    onError: (error, requestId) => logger.error('request failed', { requestId, error: error as Error }),
  });
  return { api, scorer, bundle };
}
