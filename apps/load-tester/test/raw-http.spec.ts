import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Outcome, Target } from '../src/engine/outcome';
import { createRawHttpTarget } from '../src/targets/raw-http-target';
import { Fifo } from '../src/targets/fifo';

function send(target: Target, body = '[]'): Promise<Outcome> {
  return new Promise((resolve) => target.send(Buffer.from(body), resolve));
}

describe('raw HTTP/1.1 client (end to end against node:http)', () => {
  let server: http.Server;
  let url: URL;
  const seen: { path: string; key: string | undefined; body: string }[] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ path: req.url ?? '', key: req.headers['x-api-key'] as string | undefined, body });
        if (body === 'chunked') {
          res.writeHead(201);
          res.write('a'.repeat(5000));
          setTimeout(() => res.end('tail'), 5);
        } else if (body === 'close') res.writeHead(503, { connection: 'close', 'content-length': 1 }).end('x');
        else if (body === 'empty') res.writeHead(204).end();
        else if (body === 'slow') setTimeout(() => res.writeHead(200, { 'content-length': 0 }).end(), 600);
        else if (body === 'hang-up') req.socket.destroy();
        else res.writeHead(200, { 'content-type': 'application/json', 'content-length': 2 }).end('{}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/score?x=1`);
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('posts the body with the API key and reads Content-Length, chunked, 204 and close-delimited answers', async () => {
    const target = createRawHttpTarget({
      url,
      apiKey: 'k-123',
      contentType: 'application/json',
      maxSockets: 2,
      timeoutMs: 5000,
    });

    const outcomes = [];
    for (const body of ['[[1,2]]', 'chunked', 'empty', 'close', '[]']) outcomes.push(await send(target, body));
    await target.close();

    expect(outcomes).toEqual([{ status: 200 }, { status: 201 }, { status: 204 }, { status: 503 }, { status: 200 }]);
    expect(seen[0]).toEqual({ path: '/score?x=1', key: 'k-123', body: '[[1,2]]' });
  });

  it('queues requests beyond maxSockets and answers them all', async () => {
    const target = createRawHttpTarget({ url, contentType: 'application/json', maxSockets: 3, timeoutMs: 5000 });

    const outcomes = await Promise.all(Array.from({ length: 50 }, () => send(target)));
    await target.close();

    expect(outcomes.filter((o) => 'status' in o && o.status === 200)).toHaveLength(50);
  });

  it('times a slow answer out and reports a hang-up as a connection error', async () => {
    const target = createRawHttpTarget({ url, contentType: 'application/json', maxSockets: 2, timeoutMs: 200 });

    const [slow, hangUp] = await Promise.all([send(target, 'slow'), send(target, 'hang-up')]);
    const after = await send(target);
    await target.close();

    expect(slow).toEqual({ error: 'timeout' });
    expect(hangUp).toEqual({ error: 'connection' });
    expect(after).toEqual({ status: 200 });
  });

  it('fails requests fast with a connection error when nothing listens', async () => {
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const target = createRawHttpTarget({
      url: new URL(`http://127.0.0.1:${port}/score`),
      contentType: 'application/json',
      maxSockets: 4,
      timeoutMs: 5000,
    });

    const outcomes = await Promise.all([send(target), send(target), send(target)]);
    await target.close();

    expect(outcomes).toEqual([{ error: 'connection' }, { error: 'connection' }, { error: 'connection' }]);
  });
});

describe('request queue', () => {
  it('keeps FIFO order across many pushes and shifts', () => {
    const q = new Fifo<number>();
    const out: number[] = [];
    for (let i = 0; i < 5000; i++) {
      q.push(i);
      if (i % 3 === 0) out.push(q.shift() ?? -1);
    }
    while (q.length > 0) out.push(q.shift() ?? -1);

    expect(out).toEqual(Array.from({ length: 5000 }, (_, i) => i));
    expect(q.shift()).toBeUndefined();
  });
});
