import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { API_ERROR_STATUS, errorBody } from './errors';
import type { ApiRequest, ScoreApi } from './types';

/** Options of the node:http adapter. */
export interface NodeServerOptions {
  /** Bodies past this are answered 413 without being buffered (default 1 MiB, as the core). */
  maxBodyBytes?: number;
}

/** A node:http server running the API, with a graceful `shutdown`. */
export interface ApiHttpServer {
  server: Server;
  /** Stops accepting, lets in-flight requests finish (keep-alive sockets are closed), resolves when all are done. */
  shutdown(graceMs?: number): Promise<void>;
}

/**
 * Serves a {@link ScoreApi} over node:http.
 *
 * @example
 * const { server, shutdown } = createApiHttpServer(api);
 * server.listen(8080);
 * process.on('SIGTERM', () => void shutdown().then(() => process.exit(0)));
 */
export function createApiHttpServer(api: ScoreApi, opts: NodeServerOptions = {}): ApiHttpServer {
  const maxBodyBytes = opts.maxBodyBytes ?? 1024 * 1024;
  let closing = false;
  const server = createServer((req, res) => {
    readBody(req, maxBodyBytes)
      .then((body) => (body === TOO_LARGE ? tooLarge(res, maxBodyBytes) : dispatch(api, req, res, body, () => closing)))
      .catch(() => res.destroy()); // the socket failed mid-request: nobody is left to answer
  });
  server.keepAliveTimeout = 5_000;
  return {
    server,
    shutdown(graceMs = 10_000) {
      closing = true;
      return new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), graceMs);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      });
    },
  };
}

const TOO_LARGE = Symbol('too large');

function readBody(req: IncomingMessage, max: number): Promise<Buffer | undefined | typeof TOO_LARGE> {
  const declared = Number(req.headers['content-length']);
  if (declared > max) {
    req.resume();
    return Promise.resolve(TOO_LARGE);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        chunks.length = 0;
        req.removeAllListeners('data');
        req.resume();
        resolve(TOO_LARGE);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () =>
      resolve(chunks.length === 0 ? undefined : chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)),
    );
    req.on('error', reject);
  });
}

async function dispatch(
  api: ScoreApi,
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer | undefined,
  closing: () => boolean,
): Promise<void> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const apiReq: ApiRequest = {
    method: req.method ?? 'GET',
    path: q === -1 ? url : url.slice(0, q),
    query: q === -1 ? undefined : Object.fromEntries(new URLSearchParams(url.slice(q + 1))),
    headers: req.headers,
    body,
  };
  const out = await api.handleRequest(apiReq);
  // Once shutting down, answers close their keep-alive socket so server.close() can complete.
  if (closing()) res.setHeader('connection', 'close');
  res.writeHead(out.status, out.headers);
  res.end(req.method === 'HEAD' ? undefined : out.body);
  api.notify(out);
}

function tooLarge(res: ServerResponse, max: number): void {
  const requestId = randomUUID();
  res.writeHead(API_ERROR_STATUS.BODY_TOO_LARGE, {
    'content-type': 'application/json; charset=utf-8',
    'x-request-id': requestId,
    connection: 'close',
  });
  res.end(errorBody('BODY_TOO_LARGE', `The body is larger than ${max} bytes`));
}
