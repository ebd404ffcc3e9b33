import type { AddressInfo } from 'node:net';
import { Logger } from '@aws-lambda-powertools/logger';
import { createApiHttpServer } from '@lead-scoring/score-api';
import type { ModelBundle } from '@lead-scoring/model-bundle';
import { createApp, warmUp, type App } from './app';
import type { ApiConfig } from './config';
import { createServerHooks, type ApiHooks, type HooksFactory } from './hooks';
import { loadModelBundle } from './model-source';
import { loadShadow, type LoadedShadow } from './shadow';
import { folderSignature, watchShadowDir } from './shadow-watch';

/** A running HTTP server of the API in this process. */
export interface RunningServer {
  url: string;
  port: number;
  app: App;
  /** Stops accepting, finishes in-flight requests, resolves when closed. */
  shutdown(): Promise<void>;
}

/**
 * Starts the API on node:http in this process (one cluster worker, or a test's in-process server): loads the
 * bundle, builds its hooks, warms the request path with the bundle's reference rows, and only then listens,
 * so no connection ever reaches a worker that is loading or cold. Rejects when the bundle cannot be loaded.
 *
 * @example
 * const server = await startServer(loadConfig({ PORT: '0' }));
 * await fetch(`${server.url}/ready`);
 */
export async function startServer(
  cfg: ApiConfig,
  opts: { logger?: Logger; hooks?: HooksFactory; host?: string; warmUpMs?: number } = {},
): Promise<RunningServer> {
  const started = performance.now();
  const logger = opts.logger ?? new Logger({ serviceName: 'lead-scoring-api', logLevel: cfg.logLevel });
  const bundle = await loadModelBundle(cfg.model);
  const source = cfg.shadow.source;
  // A watched folder may still be empty (a shadow is deployed later); a bundle that is there must load and fit.
  const initial = source?.kind === 'dir' ? await folderSignature(source.dir) : '';
  const shadow: LoadedShadow | null =
    source && (source.kind === 's3' || initial !== '') ? await loadShadow(source, bundle) : null;
  const hooks: ApiHooks = (opts.hooks ?? ((b, sh) => createServerHooks({ logger, bundle: b, shadow: sh ?? false })))(
    bundle,
    source !== null,
  );
  const app = createApp(cfg, { bundle, logger, hooks, shadow });
  const watch =
    source?.kind === 'dir' && app.shadow
      ? watchShadowDir({
          dir: source.dir,
          intervalMs: cfg.shadow.reloadMs,
          runner: app.shadow,
          production: bundle,
          logger,
          initial,
        })
      : null;
  const loadMs = performance.now() - started;
  const warmed = await warmUp(app, {
    apiKey: cfg.apiKeys[0],
    ...(opts.warmUpMs === undefined ? {} : { budgetMs: opts.warmUpMs }),
  });
  logger.info('model loaded', {
    model: bundle.manifest.name,
    version: bundle.manifest.version,
    features: bundle.contract.size,
    source: bundle.dir,
    scorer: app.scorer.kind,
    ...(shadow ? { shadow: `${shadow.bundle.manifest.name}@${shadow.bundle.manifest.version}` } : {}),
    loadMs: Math.round(loadMs),
    warmUpRequests: warmed,
    warmUpMs: Math.round(performance.now() - started - loadMs),
  });
  const http = createApiHttpServer(app.api, { maxBodyBytes: cfg.maxBodyBytes });
  await new Promise<void>((resolve, reject) => {
    http.server.once('error', reject);
    http.server.listen(cfg.port, opts.host ?? '0.0.0.0', () => resolve());
  });
  const port = (http.server.address() as AddressInfo).port;
  // The lake is flushed after the last in-flight request, so its scores are in it too.
  // The shadow results of the last answers get a moment to reach the spool before it is sealed.
  const shutdown = async (): Promise<void> => {
    await http.shutdown();
    watch?.stop();
    await app.shadow?.idle(cfg.shadow.timeoutMs);
    await hooks.close?.();
  };
  return { url: `http://localhost:${port}`, port, app, shutdown };
}

/**
 * A ready-to-paste curl command scoring the bundle's first reference row (or one row of nulls).
 *
 * @example
 * console.log(curlExample('http://localhost:8080', bundle));
 */
export function curlExample(url: string, bundle: ModelBundle, apiKey?: string): string {
  const row = bundle.manifest.reference?.rows[0] ?? bundle.contract.names.map(() => null);
  const key = apiKey ? ` -H 'x-api-key: ${apiKey}'` : '';
  return `curl -s '${url}/score?explain=3' -H 'content-type: application/json'${key} -d '${JSON.stringify([row])}'`;
}
