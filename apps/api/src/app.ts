import type { Logger } from '@aws-lambda-powertools/logger';
import type { ModelBundle } from '@lead-scoring/model-bundle';
import { createScoreApi, type ApiRequest, type ScoreApi, type ShadowRunner } from '@lead-scoring/score-api';
import { createScorerFromEnv, type Scorer } from '@lead-scoring/scoring-client';
import type { ApiConfig } from './config';
import type { ApiHooks } from './hooks';
import { createShadowRunner, type LoadedShadow } from './shadow';

/** The API of one process, serving one loaded bundle. */
export interface App {
  api: ScoreApi;
  scorer: Scorer;
  bundle: ModelBundle;
  /** Scores each answered request again with the shadow model (SHADOW_MODEL_*); null when none is configured. */
  shadow: ShadowRunner | null;
  /** False while the request path is warmed: warm-up requests are not recorded in the lake. */
  recording: boolean;
}

/**
 * Wires configuration, the loaded bundle, its scorer and the observability hooks into the API core:
 * requests are validated against the bundle's feature contract and scored by its model.
 *
 * @example
 * const bundle = await loadModelBundle(cfg.model);
 * const app = createApp(cfg, { bundle, logger, hooks: createServerHooks({ logger, bundle }) });
 */
export function createApp(
  cfg: ApiConfig,
  opts: {
    bundle: ModelBundle;
    logger: Logger;
    hooks?: ApiHooks;
    shadow?: LoadedShadow | null;
    env?: NodeJS.ProcessEnv;
  },
): App {
  const { logger, bundle } = opts;
  const hooks = opts.hooks ?? {};
  const scorer = createScorerFromEnv({ bundle, env: opts.env ?? process.env });
  hooks.onReady?.({ bundle, scorer });
  // A runner whenever a shadow source is configured, even before its bundle is there (SHADOW_MODEL_DIR being watched).
  const shadow =
    cfg.shadow.source || opts.shadow
      ? createShadowRunner(cfg.shadow, { production: bundle, shadow: opts.shadow ?? null, hooks, logger })
      : null;
  const record = hooks.record;
  const api = createScoreApi({
    model: { scorer, contract: bundle.contract },
    validation: cfg.validation,
    maxRows: cfg.maxRows,
    maxExplainRows: cfg.maxExplainRows,
    maxBodyBytes: cfg.maxBodyBytes,
    apiKeys: cfg.apiKeys,
    ...(hooks.metrics ? { metrics: hooks.metrics } : {}),
    ...(hooks.onRequest ? { onRequest: hooks.onRequest } : {}),
    ...(hooks.onScored ? { onScored: hooks.onScored } : {}),
    ...(record
      ? {
          record: (e: Parameters<typeof record>[0], info: Parameters<typeof record>[1]) =>
            app.recording ? record(e, info) : undefined,
        }
      : {}),
    ...(shadow ? { shadow } : {}),
    ...(hooks.unavailable ? { unavailable: hooks.unavailable } : {}),
    onError: (error, requestId) => logger.error('request failed', { requestId, error: error as Error }),
  });
  // Read by the recorder at call time, never before this line runs.
  const app: App = { api, scorer, bundle, shadow, recording: true };
  return app;
}

/**
 * Runs the bundle's reference rows (or an all-missing row) through the whole request path, both request forms,
 * with and without reason codes, for about `budgetMs` (default 400), so the JIT has compiled it before the
 * first real request. Nothing is recorded: the lake's recorder is off meanwhile (`app.recording`) and the other hooks
 * run only on `api.notify`, which this never calls. In-process scorers only (a SageMaker scorer would send the
 * warm-up to the endpoint).
 *
 * @example
 * await warmUp(app, { apiKey: cfg.apiKeys[0] }); server.listen(port);
 */
export async function warmUp(app: App, opts: { apiKey?: string | undefined; budgetMs?: number } = {}): Promise<number> {
  if (app.scorer.kind !== 'inprocess') return 0;
  const { contract, manifest } = app.bundle;
  const rows = manifest.reference?.rows.slice(0, 10) ?? [contract.names.map(() => null)];
  const named = {
    leads: rows.map((row, i) => ({ lead_id: `warm-${i}`, features: namedFeatures(contract.names, row) })),
  };
  const headers = { 'content-type': 'application/json', ...(opts.apiKey ? { 'x-api-key': opts.apiKey } : {}) };
  const many = JSON.stringify(rows);
  const one = JSON.stringify(rows.slice(0, 1));
  // The explain request also builds the model's TreeSHAP tables, which the first explain call would otherwise pay.
  const requests: ApiRequest[] = [many, JSON.stringify(named), one, many].map((body, i) => ({
    method: 'POST',
    path: '/score',
    headers,
    body,
    ...(i === 3 ? { query: { explain: '3' } } : {}),
  }));
  const deadline = performance.now() + (opts.budgetMs ?? 400);
  let n = 0;
  app.recording = false;
  try {
    for (; performance.now() < deadline; n++) await app.api.handleRequest(requests[n % requests.length]!);
  } finally {
    app.recording = true;
  }
  return n;
}

function namedFeatures(names: readonly string[], row: readonly (number | null)[]): Record<string, number> {
  const out: Record<string, number> = {};
  names.forEach((name, j) => {
    const v = row[j];
    if (v !== null && v !== undefined) out[name] = v;
  });
  return out;
}
