import http from 'node:http';
import https from 'node:https';
import { TRANSPORT_ERRORS, type Outcome, type Target } from '../engine/outcome';

/** Options of {@link createHttpTarget}. */
export interface HttpTargetOptions {
  url: URL;
  apiKey?: string;
  contentType: string;
  /** Upper bound on open sockets; size it for the rate (in flight ≈ rate × latency, more during a stall). */
  maxSockets: number;
  timeoutMs: number;
}

/**
 * POSTs bodies with node:http and a keep-alive Agent. Measured here against a trivial server:
 * node:http ~13,000–17,000 req/s from one thread, Node 20's global fetch (undici) ~1,700.
 *
 * @example
 * const target = createHttpTarget({ url: new URL('http://localhost:8080/score'), contentType: 'application/json', maxSockets: 512, timeoutMs: 10_000 });
 */
export function createHttpTarget(opts: HttpTargetOptions): Target {
  const secure = opts.url.protocol === 'https:';
  const agentOptions = {
    keepAlive: true,
    maxSockets: opts.maxSockets,
    maxFreeSockets: opts.maxSockets,
    scheduling: 'lifo' as const,
  };
  const agent = secure ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
  const request = secure ? https.request : http.request;
  const baseHeaders: Record<string, string> = { 'content-type': opts.contentType, accept: 'application/json' };
  if (opts.apiKey !== undefined) baseHeaders['x-api-key'] = opts.apiKey;
  const requestOptions = {
    agent,
    method: 'POST',
    hostname: opts.url.hostname,
    port: opts.url.port,
    path: `${opts.url.pathname}${opts.url.search}`,
  };

  return {
    kind: 'http',
    send(body: Buffer, done: (outcome: Outcome) => void): void {
      let settled = false;
      const finish = (outcome: Outcome): void => {
        if (settled) return;
        settled = true;
        done(outcome);
      };
      const req = request(
        { ...requestOptions, headers: { ...baseHeaders, 'content-length': String(body.length) } },
        (res) => {
          res.on('data', noop);
          res.on('end', () => finish({ status: res.statusCode ?? 0 }));
          res.on('error', (err) => finish({ error: classify(err) }));
        },
      );
      req.setTimeout(opts.timeoutMs, () => {
        finish({ error: TRANSPORT_ERRORS.TIMEOUT });
        req.destroy();
      });
      req.on('error', (err) => finish({ error: classify(err) }));
      req.end(body);
    },
    close(): Promise<void> {
      agent.destroy();
      return Promise.resolve();
    },
  };
}

function noop(): void {
  // Drain the body without keeping it: only the status and the timing matter.
}

function classify(err: Error & { code?: string }): string {
  switch (err.code) {
    case 'ECONNREFUSED':
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EHOSTUNREACH':
    case 'ECONNABORTED':
      return TRANSPORT_ERRORS.CONNECTION;
    case 'ETIMEDOUT':
      return TRANSPORT_ERRORS.TIMEOUT;
    default:
      return TRANSPORT_ERRORS.OTHER;
  }
}
