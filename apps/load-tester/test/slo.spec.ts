import { EXIT, ERROR_CODES, LoadTestError } from '../src/errors';
import { evaluateSlos, parseSlos } from '../src/slo';
import { buildReport } from '../src/report/build-report';
import { emptyInterval } from '../src/engine/recorder';
import { recordMs } from '../src/histogram';
import type { RunConfig } from '../src/config';

const measured = {
  p50: 20,
  p90: 25,
  p99: 900,
  p999: 1200,
  max: 1500,
  mean: 30,
  error_rate: 0.0005,
  late_ratio: 0,
  achieved_rps: 299.5,
  requests: 1000,
  errors: 1,
};

describe('SLO parsing', () => {
  it('normalises latencies to ms and percentages to fractions', () => {
    expect(parseSlos('p99<1000ms, p50<=0.05s ,error_rate<0.1%,achieved_rps>=295rps')).toEqual([
      { text: 'p99<1000ms', metric: 'p99', op: '<', value: 1000 },
      { text: 'p50<=0.05s', metric: 'p50', op: '<=', value: 50 },
      { text: 'error_rate<0.1%', metric: 'error_rate', op: '<', value: 0.001 },
      { text: 'achieved_rps>=295rps', metric: 'achieved_rps', op: '>=', value: 295 },
    ]);
  });

  it.each([
    ['p95<100ms', 'UNKNOWN_SLO_METRIC'],
    ['p99<1000mz', 'INVALID_SLO'],
    ['error_rate<1ms', 'INVALID_SLO'],
    ['p99=1000', 'INVALID_SLO'],
    ['p99<', 'INVALID_SLO'],
    ['', 'INVALID_SLO'],
  ])('rejects "%s" with %s, a usage error (exit 2)', (text, code) => {
    let caught: unknown;
    try {
      parseSlos(text);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(LoadTestError);
    expect((caught as LoadTestError).code).toBe(code);
    expect((caught as LoadTestError).exitCode).toBe(EXIT.USAGE);
  });

  it('passes and fails objectives against measured values', () => {
    const results = evaluateSlos(parseSlos('p99<1000ms,p999<1s,error_rate<0.1%,achieved_rps>300'), measured);

    expect(results.map((r) => [r.text, r.ok, r.actual])).toEqual([
      ['p99<1000ms', true, 900],
      ['p999<1s', false, 1200],
      ['error_rate<0.1%', true, 0.0005],
      ['achieved_rps>300', false, 299.5],
    ]);
  });
});

describe('exit codes', () => {
  function report(opts: { slo?: string; late?: number; latencyMs?: number }): ReturnType<typeof buildReport> {
    const total = emptyInterval(-1);
    total.counters.sent = 1000;
    total.counters.completed = 1000;
    total.counters.ok = 1000;
    total.counters.late = opts.late ?? 0;
    for (let i = 0; i < 1000; i++) recordMs(total.latency, opts.latencyMs ?? 20);
    const config = {
      model: 'open',
      segments: [{ durationMs: 10_000, from: 100, to: 100 }],
      target: { kind: 'http', url: 'http://x/score', apiKey: 'secret' },
      rows: 1,
      features: [],
      format: 'array',
      seed: 1,
      invalidRatio: 0,
      workers: 1,
      thinkTimeMs: 0,
      timeoutMs: 10_000,
      lateThresholdMs: 10,
      maxLateRatio: 0.01,
      maxSockets: 100,
      httpClient: 'raw',
      slos: opts.slo === undefined ? [] : parseSlos(opts.slo),
      live: false,
    } satisfies RunConfig;
    return buildReport({ config, startedAt: new Date(0).toISOString(), elapsedMs: 10_000, total, series: [total] });
  }

  it('exits 0 when every SLO holds', () => {
    expect(report({ slo: 'p99<1000ms' }).exit_code).toBe(EXIT.OK);
  });

  it('exits 3 when an SLO fails', () => {
    const r = report({ slo: 'p99<10ms' });
    expect([r.verdict, r.exit_code]).toEqual(['slo_failed', 3]);
  });

  it('exits 4 when more sends than allowed were late, even if SLOs hold', () => {
    const r = report({ slo: 'p99<1000ms', late: 11 });
    expect([r.verdict, r.exit_code, r.late_sends.count, r.late_sends.failed]).toEqual(['generator_late', 4, 11, true]);
  });

  it('tolerates late sends up to the allowed ratio', () => {
    expect(report({ late: 10 }).exit_code).toBe(EXIT.OK);
  });

  it('never writes the API key into the report', () => {
    expect(JSON.stringify(report({}))).not.toContain('secret');
  });

  it('keeps every error code unique and mapped to a documented exit code', () => {
    const exits: number[] = Object.values(EXIT);
    expect(new Set(Object.keys(ERROR_CODES)).size).toBe(Object.keys(ERROR_CODES).length);
    Object.values(ERROR_CODES).forEach((code) => expect(exits).toContain(code));
    expect(new Set(exits).size).toBe(exits.length);
  });
});
