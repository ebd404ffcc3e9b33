import { randomUUID } from 'node:crypto';
import { buildOpenApiDocument, createLeadValidator, type LeadValidator } from '@lead-scoring/feature-schema';
import { createApiKeyCheck } from './auth';
import { ApiError, errorBody } from './errors';
import { assertExplainable, assertJsonContentType, parseExplain, parseScoreBody } from './score-request';
import { buildScoreBody } from './score-response';
import type {
  ApiRequest,
  ApiResponse,
  RecordInfo,
  RequestEvent,
  RouteName,
  ScoreApi,
  ScoreApiOptions,
  ScoredEvent,
  ServedModel,
} from './types';

/** Default most rows per request. */
export const DEFAULT_MAX_ROWS = 1000;
/** Default most leads one request may ask reason codes for. */
export const DEFAULT_MAX_EXPLAIN_ROWS = 1000;
/** Default largest body: 1 MiB. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

const JSON_TYPE = 'application/json; charset=utf-8';
const METHODS: Readonly<Record<Exclude<RouteName, 'unknown'>, readonly string[]>> = {
  '/score': ['POST'],
  '/health': ['GET', 'HEAD'],
  '/ready': ['GET', 'HEAD'],
  '/openapi.json': ['GET', 'HEAD'],
  '/metrics': ['GET', 'HEAD'],
};

const round3 = (ms: number): number => Math.round(ms * 1000) / 1000;

/** A served model with what the API derives from it once: its validator and (on first request) its OpenAPI text. */
interface Serving extends ServedModel {
  readonly validator: LeadValidator;
  openApi: string | undefined;
}

/**
 * Builds the transport-agnostic API: POST /score, GET /health, /ready, /openapi.json, /metrics, serving one
 * model's contract (its features, validated with `options.validation`). Every failure is a JSON
 * `{"error":{code,message,details?}}` with the status of its code; invalid leads of a batch get an error in
 * their result while the others are scored.
 *
 * @example
 * const api = createScoreApi({ model: { scorer: new InProcessScorer(bundle), contract: bundle.contract } });
 * const res = await api.handleRequest({ method: 'GET', path: '/health', headers: {} });
 */
export function createScoreApi(options: ScoreApiOptions): ScoreApi {
  const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
  const maxExplainRows = options.maxExplainRows ?? DEFAULT_MAX_EXPLAIN_ROWS;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const policy = options.validation ?? 'lenient';
  const allowed = createApiKeyCheck(options.apiKeys ?? []);
  const serve = (m: ServedModel): Serving => ({
    scorer: m.scorer,
    contract: m.contract,
    validator: createLeadValidator(m.contract, { maxRows, policy }),
    openApi: undefined,
  });
  // One reference, read once per request: validation and scoring always use the same model.
  let serving: Serving | undefined;
  if (options.model instanceof Promise) {
    options.model.then(
      (m) => (serving = serve(m)),
      () => undefined, // the app owns the load failure; /ready stays 503
    );
  } else serving = serve(options.model);
  const openApiText = (s: Serving): string =>
    (s.openApi ??= JSON.stringify(buildOpenApiDocument(s.contract, { model: s.scorer.model, policy })));

  const json = (status: number, body: string, requestId: string, extra?: Record<string, string>): ApiResponse => ({
    status,
    headers: { 'content-type': JSON_TYPE, 'x-request-id': requestId, ...extra },
    body,
  });

  async function route(req: ApiRequest, name: RouteName, requestId: string, t0: number): Promise<ApiResponse> {
    if (name === 'unknown') throw new ApiError('NOT_FOUND', `No route ${req.method} ${req.path.slice(0, 200)}`);
    const methods = METHODS[name];
    if (!methods.includes(req.method)) {
      const err = new ApiError(
        'METHOD_NOT_ALLOWED',
        `${req.path} accepts ${methods.join(', ')}, not ${req.method.slice(0, 20)}`,
      );
      return { ...json(err.status, errorBody(err.code, err.message), requestId, { allow: methods.join(', ') }) };
    }
    const current = serving;
    if (name === '/health') return json(200, healthBody('ok', current), requestId);
    if (name === '/ready') {
      const ready = current !== undefined && options.unavailable?.() === undefined;
      return json(ready ? 200 : 503, healthBody(ready ? 'ready' : 'not_ready', current), requestId);
    }
    const key = req.headers['x-api-key'];
    if (!allowed(Array.isArray(key) ? key[0] : key)) {
      throw new ApiError('UNAUTHORIZED', 'A valid x-api-key header is required');
    }
    if (name === '/openapi.json') {
      if (!current) throw new ApiError('NOT_READY', 'The model is still loading; retry shortly');
      return json(200, openApiText(current), requestId);
    }
    if (name === '/metrics') {
      if (!options.metrics) throw new ApiError('NOT_FOUND', 'No metrics registry configured');
      const text = await options.metrics.metrics();
      return {
        status: 200,
        headers: { 'content-type': options.metrics.contentType, 'x-request-id': requestId },
        body: text,
      };
    }
    return score(req, requestId, t0, current);
  }

  async function score(
    req: ApiRequest,
    requestId: string,
    t0: number,
    current: Serving | undefined,
  ): Promise<ApiResponse> {
    const receivedAt = Date.now();
    const explain = parseExplain(req.query);
    assertJsonContentType(req.headers['content-type']);
    if (!current) throw new ApiError('NOT_READY', 'The model is still loading; retry shortly');
    const batch = parseScoreBody(req.body, { maxBodyBytes, validator: current.validator });
    if (explain > 0) assertExplainable(batch.total, maxExplainRows);
    const active = current.scorer;
    const validationMs = performance.now() - t0;
    const out = await active.score(explain > 0 ? { x: batch.x, nRows: batch.nRows, explain } : batch);
    const latencyMs = {
      total: round3(performance.now() - t0),
      validation: round3(validationMs),
      model: round3(out.modelMs),
    };
    const body = buildScoreBody({ requestId, model: active.model, batch, out, latencyMs });
    const res = json(200, body, requestId);
    if (options.onScored || options.record || options.shadow) {
      const scored: ScoredEvent = {
        requestId,
        route: '/score',
        status: 200,
        latencyMs: latencyMs.total,
        validationMs: latencyMs.validation,
        modelMs: latencyMs.model,
        ...(out.explainMs === undefined ? {} : { explainMs: round3(out.explainMs) }),
        degraded: out.degraded,
        model: { name: active.model.name, version: active.model.version },
        x: batch.x,
        nRows: batch.nRows,
        results: out.results,
        leadIds: batch.leadIds,
        warnings: batch.warnings,
        invalidLeads: batch.rejected.length,
        ts: receivedAt,
      };
      if (options.record) await recordOrRefuse(options.record, scored, { shadow: options.shadow?.active() ?? false });
      res.events = { scored };
    }
    return res;
  }

  return {
    isReady: () => serving !== undefined,
    async handleRequest(req) {
      const t0 = performance.now();
      const requestId = req.requestId || randomUUID();
      const name = routeName(req.path);
      let res: ApiResponse;
      let errorCode: string | undefined;
      try {
        res = await route(req, name, requestId, t0);
      } catch (err) {
        const e = toApiError(err, requestId, options.onError);
        errorCode = e.code;
        // A 503 says when to come back: load balancers and SDK retries honour Retry-After.
        res = json(
          e.status,
          errorBody(e.code, e.message, e.details),
          requestId,
          e.status === 503 ? { 'retry-after': '1' } : undefined,
        );
      }
      if (options.onRequest) {
        const request: RequestEvent = {
          requestId,
          route: name,
          method: req.method,
          status: res.status,
          errorCode,
          totalMs: performance.now() - t0,
        };
        res.events = { scored: res.events?.scored, request };
      }
      return res;
    },
    notify(res) {
      const e = res.events;
      if (!e) return;
      if (e.scored) {
        options.onScored?.(e.scored);
        options.shadow?.submit(e.scored);
      }
      if (e.request) options.onRequest?.(e.request);
    },
  };
}

/** Records the scored leads before their answer leaves; a recorder failure is the caller's 503, never a lost lead. */
async function recordOrRefuse(
  record: NonNullable<ScoreApiOptions['record']>,
  scored: ScoredEvent,
  info: RecordInfo,
): Promise<void> {
  try {
    await record(scored, info);
  } catch (cause) {
    throw new ApiError(
      'LAKE_UNAVAILABLE',
      'The scores cannot be recorded right now, so none are returned; retry shortly',
      { cause },
    );
  }
}

function routeName(path: string): RouteName {
  const p = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  return Object.hasOwn(METHODS, p) ? (p as RouteName) : 'unknown';
}

function healthBody(status: 'ok' | 'ready' | 'not_ready', served: ServedModel | undefined): string {
  const m = served?.scorer.model;
  return JSON.stringify(m ? { status, model: { name: m.name, version: m.version } } : { status });
}

/** Known failures keep their code; scorer errors (ScoringError: `code` + `status`) pass through; the rest are 500s. */
function toApiError(
  err: unknown,
  requestId: string,
  onError: ((error: unknown, requestId: string) => void) | undefined,
): { code: string; status: number; message: string; details?: ApiError['details'] } {
  if (err instanceof ApiError) return err;
  const e = err as { code?: unknown; status?: unknown; message?: unknown } | null;
  if (e && typeof e.code === 'string' && typeof e.status === 'number' && e.status >= 400 && e.status < 600) {
    onError?.(err, requestId);
    return { code: e.code, status: e.status, message: String(e.message ?? e.code) };
  }
  onError?.(err, requestId);
  return { code: 'INTERNAL', status: 500, message: `Internal error; quote request id ${requestId}` };
}
