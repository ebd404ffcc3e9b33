import { demoFeatures } from '@lead-scoring/model-bundle/testing';
import type { RunConfig } from '../src/config';
import { runLoadTest } from '../src/engine/run';
import { buildReport } from '../src/report/build-report';
import { constantProfile } from '../src/stages';
import { startChildServer, type ChildServer } from './support/child-server';

function config(url: string, overrides: Partial<RunConfig>): RunConfig {
  return {
    model: 'open',
    segments: constantProfile({ level: 300, durationMs: 3000 }),
    target: { kind: 'http', url },
    rows: 1,
    features: demoFeatures(),
    format: 'array',
    seed: 1,
    invalidRatio: 0,
    workers: 1,
    thinkTimeMs: 0,
    timeoutMs: 10_000,
    lateThresholdMs: 10,
    maxLateRatio: 0.01,
    maxSockets: 600,
    httpClient: 'raw',
    slos: [],
    live: false,
    ...overrides,
  };
}

describe('accuracy against local servers (end to end over HTTP)', () => {
  let server: ChildServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  // The p50 includes both processes' 1 ms timer granularity and the send's lateness against its schedule: on this
  // 2-core box it reads 22.3-22.6 ms when idle and 22.7-23.3 ms beside a CPU hog (a bare node:http client reads
  // 22.1 ms), so 22 ms failed a CI run; libuv's millisecond loop clock can also fire the server's 20 ms timer a
  // fraction of a millisecond early (19.95 ms seen). A wrong start time or unit would land far outside 19.5-25 ms.
  it('measures a fixed 20 ms server at 300 req/s as p50 19.5–25 ms with the rate within 2%', async () => {
    server = await startChildServer({ kind: 'delay', delayMs: 20 });

    const report = buildReport(await runLoadTest(config(server.url, {})));

    expect(report.requests).toBe(900);
    expect(report.errors).toBe(0);
    expect(report.latency_ms.p50).toBeGreaterThanOrEqual(19.5);
    expect(report.latency_ms.p50).toBeLessThanOrEqual(25);
    expect(Math.abs(report.achieved_rps - 300) / 300).toBeLessThanOrEqual(0.02);
  }, 30_000);

  it("shows a 1 s freeze in the open model's p99, which a closed model at a similar rate hides", async () => {
    server = await startChildServer({ kind: 'freeze', fromMs: 1500, forMs: 1000 });
    const open = buildReport(
      await runLoadTest(config(server.url, { segments: constantProfile({ level: 300, durationMs: 4000 }) })),
    );
    await server.close();

    server = await startChildServer({ kind: 'freeze', fromMs: 1500, forMs: 1000 });
    const closed = buildReport(
      await runLoadTest(
        config(server.url, {
          model: 'closed',
          segments: constantProfile({ level: 3, durationMs: 4000 }),
          thinkTimeMs: 10,
        }),
      ),
    );

    expect(open.latency_ms.p99).toBeGreaterThanOrEqual(800);
    expect(open.latency_ms.max).toBeGreaterThanOrEqual(900);
    // The closed model sent far fewer requests while frozen (each user waited), so the stall barely reaches its tail.
    expect(closed.latency_ms.max).toBeGreaterThanOrEqual(800);
    expect(closed.latency_ms.p99).toBeLessThan(open.latency_ms.p99 / 2);
  }, 40_000);
});
