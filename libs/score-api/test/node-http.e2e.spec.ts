import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mulberry32, sampleLead } from '@lead-scoring/feature-schema/testing';
import { demoContract } from '@lead-scoring/model-bundle/testing';
import { createApiHttpServer, type ApiHttpServer } from '../src/node-http';
import { createScoreApi } from '../src/score-api';
import { FakeScorer } from './fake-scorer';

const CONTRACT = demoContract();
let http: ApiHttpServer;
let base: string;

async function start(scorer = new FakeScorer(), maxBodyBytes = 64 * 1024): Promise<void> {
  http = createApiHttpServer(createScoreApi({ model: { scorer, contract: CONTRACT }, maxBodyBytes }), { maxBodyBytes });
  await new Promise<void>((r) => http.server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(http.server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  if (http.server.listening) await http.shutdown(1000);
});

const body = JSON.stringify([sampleLead(CONTRACT.features, mulberry32(1))]);

describe('node:http adapter', () => {
  it('scores over a real socket', async () => {
    await start();
    const res = await fetch(`${base}/score?explain=2`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { results: unknown[] }).results).toHaveLength(1);
  });

  it('answers 413 from Content-Length alone, without reading the body', async () => {
    await start(new FakeScorer(), 1000);
    const res = await fetch(`${base}/score`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 'x'.repeat(5000),
    });
    expect([res.status, ((await res.json()) as { error: { code: string } }).error.code]).toEqual([
      413,
      'BODY_TOO_LARGE',
    ]);
  });

  it('answers 413 to a chunked body that grows past the limit', async () => {
    await start(new FakeScorer(), 1000);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${base}/score`,
        { method: 'POST', headers: { 'content-type': 'application/json' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      for (let i = 0; i < 10; i++) req.write('['.repeat(0) + 'x'.repeat(200));
      req.end();
    });
    expect(status).toBe(413);
  });

  it('on shutdown stops accepting but finishes the request in flight', async () => {
    await start(new FakeScorer({ delayMs: 300 }));
    const inFlight = fetch(`${base}/score`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    await new Promise((r) => setTimeout(r, 100));

    const closed = http.shutdown(5000);
    const res = await inFlight;
    await closed;

    expect(res.status).toBe(200);
    await expect(fetch(`${base}/health`)).rejects.toThrow();
  });
});
