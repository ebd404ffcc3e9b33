import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { ModelServerError } from './errors';
import type { Logger, ModelHolder } from './model-holder';
import { decodeCsvBytes, decodeJson } from './request-codec';
import { formatPredictions, requestMediaType, responseMediaType } from './response-codec';
import { runtimeError } from './runtime-errors';
import { NO_RESULTS, routeLabel, type LeadScoringMetrics } from './server-metrics';

const MB = 1024 * 1024;
/** SageMaker's real-time payload limit: 6 MB (a batch transform job may allow more: `maxPayloadBytes`). */
export const MAX_PAYLOAD_BYTES = 6 * MB;
// Past the limit plus this we stop draining an oversized body and drop the connection.
const DRAIN_SLACK_BYTES = 64 * MB;

export interface ModelServerOptions {
  holder: ModelHolder;
  log: Logger;
  /** Reported by /execution-parameters for batch transform. */
  maxConcurrentTransforms: number;
  /** The largest body accepted (default 6 MB); a batch transform job's MaxPayloadInMB, advertised by /execution-parameters. */
  maxPayloadBytes?: number;
  /** Served at `GET /metrics` and fed after each response is sent; null/absent = `METRICS=off` (404). */
  metrics?: LeadScoringMetrics | null;
}

type Mode = 'container' | 'runtime';

const RUNTIME_PATH = /^\/endpoints\/([^/]+)\/invocations$/;

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string>): void {
  res.writeHead(status, { ...headers, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function sendError(res: ServerResponse, mode: Mode, err: ModelServerError): void {
  if (mode === 'runtime') {
    const { status, errorType, body } = runtimeError(err);
    send(res, status, JSON.stringify(body), { 'Content-Type': 'application/json', 'x-amzn-ErrorType': errorType });
    return;
  }
  send(res, err.status, JSON.stringify({ error: { code: err.code, message: err.message } }), {
    'Content-Type': 'application/json',
  });
}

/** Reads the body up to the limit; an oversized body is drained (so the client can read the 413) then rejected. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    const chunks: Buffer[] = [];
    let size = 0;
    const drainLimit = limit + DRAIN_SLACK_BYTES;
    const tooLarge = () =>
      new ModelServerError(
        'PAYLOAD_TOO_LARGE',
        `the body is over ${limit} bytes (${limit / MB} MB: SAGEMAKER_MAX_PAYLOAD_IN_MB, or SageMaker's 6 MB real-time limit); send fewer rows per request`,
      );
    if (declared > drainLimit) {
      reject(tooLarge());
      return;
    }
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (size > drainLimit) req.destroy();
    });
    req.on('end', () => (size > limit ? reject(tooLarge()) : resolve(Buffer.concat(chunks, size))));
    req.on('error', reject);
    req.on('close', () => size > drainLimit && reject(tooLarge()));
  });
}

async function invoke(
  req: IncomingMessage,
  res: ServerResponse,
  mode: Mode,
  opts: ModelServerOptions,
  startedAt: number,
): Promise<void> {
  const body = await readBody(req, opts.maxPayloadBytes ?? MAX_PAYLOAD_BYTES);
  const reqType = requestMediaType(req.headers['content-type']);
  const resType = responseMediaType(req.headers.accept, reqType);
  // Taken once: a hot reload during this request does not change the model it runs on.
  const loaded = opts.holder.current;
  if (!loaded) throw new ModelServerError('MODEL_NOT_READY', 'the model is not loaded yet');
  const { model } = loaded;
  // CSV is read from the bytes: a batch transform body may be up to 100 MB.
  const rows =
    reqType === 'text/csv'
      ? decodeCsvBytes(body, model.numFeatures)
      : decodeJson(body.toString('utf8'), model.numFeatures);
  const modelStart = performance.now();
  const preds = model.predictBatch(rows.x, rows.nRows);
  const modelMs = performance.now() - modelStart;
  const out = formatPredictions(preds, { nRows: rows.nRows, width: model.predictionWidth, type: resType });
  const headers: Record<string, string> = { 'Content-Type': resType, 'X-Model-Version': loaded.version };
  let requestId = '';
  if (mode === 'runtime') {
    requestId = randomUUID();
    headers['x-Amzn-Invoked-Production-Variant'] = 'AllTraffic';
    headers['x-amzn-RequestId'] = requestId;
  }
  send(res, 200, out, headers);
  // After the response is handed to the socket: model latency and batch size (no per-row results, see NO_RESULTS).
  opts.metrics?.recordScored({
    requestId,
    route: routeLabel('/invocations', mode === 'runtime'),
    status: 200,
    latencyMs: performance.now() - startedAt,
    modelMs,
    degraded: false,
    model: loaded,
    x: rows.x,
    nRows: rows.nRows,
    results: NO_RESULTS,
  });
}

function ping(res: ServerResponse, holder: ModelHolder): void {
  const loaded = holder.current;
  if (!loaded) {
    const body = { status: 'loading', ...(holder.lastError ? { error: holder.lastError } : {}) };
    send(res, 503, JSON.stringify(body), { 'Content-Type': 'application/json' });
    return;
  }
  const body = {
    status: 'ok',
    model: { name: loaded.name, version: loaded.version, objective: loaded.model.objective, loadedAt: loaded.loadedAt },
  };
  send(res, 200, JSON.stringify(body), { 'Content-Type': 'application/json' });
}

async function scrape(
  res: ServerResponse,
  method: string,
  metrics: LeadScoringMetrics | null | undefined,
): Promise<void> {
  if (!metrics) throw new ModelServerError('NOT_FOUND', 'no route /metrics: metrics are off (METRICS=off)');
  if (method !== 'GET' && method !== 'HEAD')
    throw new ModelServerError('METHOD_NOT_ALLOWED', `${method} /metrics: use GET`);
  send(res, 200, await metrics.text(), { 'Content-Type': metrics.registry.contentType });
}

async function route(req: IncomingMessage, res: ServerResponse, opts: ModelServerOptions): Promise<void> {
  const startedAt = performance.now();
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const method = req.method ?? 'GET';
  const runtime = RUNTIME_PATH.test(path);
  const mode: Mode = runtime ? 'runtime' : 'container';
  try {
    if (path === '/invocations' || runtime) {
      if (method !== 'POST') throw new ModelServerError('METHOD_NOT_ALLOWED', `${method} ${path}: use POST`);
      await invoke(req, res, mode, opts, startedAt);
    } else if (path === '/ping') {
      if (method !== 'GET' && method !== 'HEAD')
        throw new ModelServerError('METHOD_NOT_ALLOWED', `${method} /ping: use GET`);
      ping(res, opts.holder);
    } else if (path === '/execution-parameters') {
      const params = {
        MaxConcurrentTransforms: opts.maxConcurrentTransforms,
        BatchStrategy: 'MULTI_RECORD',
        MaxPayloadInMB: Math.floor((opts.maxPayloadBytes ?? MAX_PAYLOAD_BYTES) / MB),
      };
      send(res, 200, JSON.stringify(params), { 'Content-Type': 'application/json' });
    } else if (path === '/metrics') {
      await scrape(res, method, opts.metrics);
    } else {
      throw new ModelServerError('NOT_FOUND', `no route ${method} ${path}`);
    }
  } catch (err) {
    const known =
      err instanceof ModelServerError
        ? err
        : new ModelServerError('INTERNAL', `internal error: ${(err as Error).message}`, { cause: err });
    if (known.status >= 500) opts.log('error', 'request failed', { path, code: known.code, error: known.message });
    if (known.code === 'PAYLOAD_TOO_LARGE') res.setHeader('Connection', 'close');
    if (!res.headersSent) sendError(res, mode, known);
    else res.destroy();
  }
  // Recorded once the response is sent, off the request path; the label is never the raw path.
  opts.metrics?.recordRequest(routeLabel(path, runtime), res.statusCode, performance.now() - startedAt);
}

/**
 * The SageMaker hosting contract over node:http: `GET /ping`, `POST /invocations`, `GET /execution-parameters`,
 * plus the Runtime API path `POST /endpoints/{name}/invocations` so AWS SDKs and the CLI work against it,
 * and `GET /metrics` (Prometheus text) when `metrics` is given.
 *
 * @example
 * createModelServer({ holder, log, maxConcurrentTransforms: 2, metrics: createModelServerMetrics(cfg) }).listen(8080);
 */
export function createModelServer(opts: ModelServerOptions): Server {
  const server = createServer((req, res) => void route(req, res, opts));
  // Longer than SDK and load-balancer idle timeouts, so a keep-alive socket is never closed under a client.
  server.keepAliveTimeout = 65_000;
  server.requestTimeout = 30_000;
  return server;
}
