/**
 * `npx nx run load-tester:bench`: generator capacity and agreement with autocannon on one machine.
 * 1. histogram recording, pure JS vs WASM build;
 * 2. open model at 10,000 req/s against a trivial server, raw-socket client vs node:http;
 * 3. p50 agreement: a 10 ms server at a fixed 1,000 req/s, this tool vs autocannon -R;
 * 4. saturation, closed model with 32 users vs autocannon -c 32.
 * Servers run in a child process so they do not share the generator's event loop.
 */
import * as hdr from 'hdr-histogram-js';
import { performance } from 'node:perf_hooks';
import { demoFeatures } from '@lead-scoring/model-bundle/testing';
import type { RunConfig } from '../src/config';
import { runLoadTest } from '../src/engine/run';
import { buildReport, type Report } from '../src/report/build-report';
import { constantProfile } from '../src/stages';
import { startChildServer } from '../test/support/child-server';

const autocannon = require('autocannon') as (opts: Record<string, unknown>) => Promise<{ requests: { average: number }; latency: { p50: number; p99: number }; errors: number; non2xx: number }>;

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 5);

function config(url: string, overrides: Partial<RunConfig>): RunConfig {
  return {
    model: 'open', segments: constantProfile({ level: 1000, durationMs: SECONDS * 1000 }), target: { kind: 'http', url }, rows: 1, features: demoFeatures(), format: 'array',
    seed: 1, invalidRatio: 0, workers: 1, thinkTimeMs: 0, timeoutMs: 10_000, lateThresholdMs: 10, maxLateRatio: 0.01, maxSockets: 64,
    httpClient: 'raw', slos: [], live: false, ...overrides,
  };
}

const line = (name: string, r: Report): string =>
  `${name.padEnd(34)} ${String(r.achieved_rps).padStart(9)} req/s sent, ${String(r.throughput_rps).padStart(9)} done/s, p50 ${r.latency_ms.p50} ms, p99 ${r.latency_ms.p99} ms, late ${(r.late_sends.ratio * 100).toFixed(2)}%, errors ${r.errors}`;

function histogramBench(): void {
  hdr.initWebAssemblySync();
  const n = 2_000_000;
  for (const useWebAssembly of [false, true]) {
    const h = hdr.build({ useWebAssembly, bitBucketSize: 32, lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3 });
    const t0 = performance.now();
    for (let i = 0; i < n; i++) h.recordValue(1000 + (i % 50_000));
    const ns = ((performance.now() - t0) * 1e6) / n;
    console.log(`histogram recordValue, ${useWebAssembly ? 'WASM' : 'JS  '}      ${ns.toFixed(1)} ns/value`);
    h.destroy();
  }
}

async function main(): Promise<void> {
  histogramBench();
  const body = JSON.stringify([Array.from({ length: 50 }, () => 1)]);
  const trivial = await startChildServer({ kind: 'delay', delayMs: 0 });
  try {
    const raw = buildReport(await runLoadTest(config(trivial.url, { segments: constantProfile({ level: 10_000, durationMs: SECONDS * 1000 }) })));
    console.log(line('open 10,000 req/s, raw sockets', raw));
    const node = buildReport(await runLoadTest(config(trivial.url, { segments: constantProfile({ level: 10_000, durationMs: SECONDS * 1000 }), httpClient: 'node' })));
    console.log(line('open 10,000 req/s, node:http', node));
    console.log(`ratio raw/node:http achieved rate: ${(raw.achieved_rps / node.achieved_rps).toFixed(2)}x`);

    const closed = buildReport(await runLoadTest(config(trivial.url, { model: 'closed', segments: constantProfile({ level: 32, durationMs: SECONDS * 1000 }) })));
    console.log(line('closed 32 users (saturation)', closed));
    const ac = await autocannon({ url: trivial.url, method: 'POST', body, headers: { 'content-type': 'application/json' }, connections: 32, duration: SECONDS });
    console.log(`${'autocannon -c 32 (saturation)'.padEnd(34)} ${ac.requests.average.toFixed(0).padStart(9)} req/s, p50 ${ac.latency.p50} ms, p99 ${ac.latency.p99} ms, errors ${ac.errors}`);
  } finally {
    await trivial.close();
  }

  const slow = await startChildServer({ kind: 'delay', delayMs: 10 });
  try {
    const ours = buildReport(await runLoadTest(config(slow.url, {})));
    console.log(line('10 ms server, open 1,000 req/s', ours));
    const ac = await autocannon({ url: slow.url, method: 'POST', body, headers: { 'content-type': 'application/json' }, connections: 64, overallRate: 1000, duration: SECONDS });
    console.log(`${'10 ms server, autocannon -R 1000'.padEnd(34)} ${ac.requests.average.toFixed(0).padStart(9)} req/s, p50 ${ac.latency.p50} ms, p99 ${ac.latency.p99} ms`);
    console.log(`p50 ratio load-test/autocannon: ${(ours.latency_ms.p50 / ac.latency.p50).toFixed(3)}`);
  } finally {
    await slow.close();
  }
}

void main();
