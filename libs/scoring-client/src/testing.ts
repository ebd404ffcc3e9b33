/**
 * Test helpers for other projects (imported as `@lead-scoring/scoring-client/testing`): a fake SageMaker
 * Runtime endpoint whose behaviour tests switch at will, to drive the SageMaker scorer through faults.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Model } from '@lead-scoring/xgboost-evaluator';

/** What the fake endpoint does with the next requests. */
export type FakeEndpointBehaviour =
  | { kind: 'ok' }
  | { kind: 'slow'; delayMs: number }
  /** Fails with this status (`times` requests, then back to ok; forever when absent). */
  | { kind: 'status'; status: number; errorType?: string; times?: number }
  | { kind: 'garbage' }
  | { kind: 'hang' };

export interface FakeEndpoint {
  /** `http://127.0.0.1:<port>`, for `SAGEMAKER_ENDPOINT_URL`. */
  readonly url: string;
  readonly port: number;
  behaviour: FakeEndpointBehaviour;
  /** Requests received so far. */
  readonly requests: number;
  /** Stops listening and drops every open connection. */
  stop(): Promise<void>;
}

function predictCsv(model: Model, body: string): string {
  const lines = body.split('\n').filter((l) => l !== '');
  const x = new Float32Array(lines.length * model.numFeatures);
  lines.forEach((line, r) =>
    line.split(',').forEach((f, c) => (x[r * model.numFeatures + c] = f === '' ? NaN : Number(f))),
  );
  const preds = model.predictBatch(x, lines.length);
  const w = model.predictionWidth;
  return lines.map((_, r) => Array.from(preds.subarray(r * w, (r + 1) * w)).join(',')).join('\n') + '\n';
}

/**
 * Starts a fake SageMaker Runtime endpoint on a free port that answers `POST /endpoints/{name}/invocations`
 * with `model`'s CSV predictions, or misbehaves as `behaviour` says.
 *
 * @example
 * const ep = await startFakeEndpoint(bundle.model);
 * ep.behaviour = { kind: 'status', status: 500 };
 * await ep.stop();
 */
export async function startFakeEndpoint(model: Model, port = 0): Promise<FakeEndpoint> {
  const sockets = new Set<Socket>();
  let requests = 0;
  const state = { behaviour: { kind: 'ok' } as FakeEndpointBehaviour };
  const server: Server = createServer((req, res) => {
    requests++;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const b = state.behaviour;
      const answer = () => {
        const out = predictCsv(model, Buffer.concat(chunks).toString('utf8'));
        res.writeHead(200, { 'Content-Type': 'text/csv' }).end(out);
      };
      if (b.kind === 'ok') answer();
      else if (b.kind === 'slow') setTimeout(answer, b.delayMs).unref();
      else if (b.kind === 'garbage') res.writeHead(200, { 'Content-Type': 'text/csv' }).end('<html>oops</html>');
      else if (b.kind === 'status') {
        if (b.times !== undefined && --b.times <= 0) state.behaviour = { kind: 'ok' };
        const headers = { 'Content-Type': 'application/json', 'x-amzn-ErrorType': b.errorType ?? 'InternalFailure' };
        res.writeHead(b.status, headers).end(JSON.stringify({ message: `fake failure ${b.status}` }));
      }
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    get behaviour() {
      return state.behaviour;
    },
    set behaviour(b: FakeEndpointBehaviour) {
      state.behaviour = b;
    },
    get requests() {
      return requests;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
