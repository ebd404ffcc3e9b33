import type { RunConfig } from '../config';
import type { RunResult } from '../engine/run';
import { EXIT } from '../errors';
import { summarize, type LatencySummary } from '../histogram';
import { evaluateSlos, type SloMetric, type SloResult } from '../slo';
import { profileDurationMs, type Segment } from '../stages';

/** One second of the run, as charted. */
export interface SeriesPoint {
  second: number;
  sent: number;
  completed: number;
  errors: number;
  late: number;
  latency_ms: Pick<LatencySummary, 'p50' | 'p90' | 'p99' | 'max'>;
}

/** The `--report-json` document; the summary table and the HTML page are drawn from it. */
export interface Report {
  verdict: 'pass' | 'slo_failed' | 'generator_late';
  exit_code: number;
  started_at: string;
  duration_ms: number;
  target_rps: number | null;
  achieved_rps: number;
  throughput_rps: number;
  /** From each request's due time (open model): queueing behind a stall counts. */
  latency_ms: LatencySummary;
  /** From the moment each request actually left. */
  service_time_ms: LatencySummary;
  requests: number;
  completed: number;
  ok: number;
  errors: number;
  error_rate: number;
  expected_rejections: number;
  status_counts: Record<string, number>;
  error_kinds: Record<string, number>;
  late_sends: {
    count: number;
    ratio: number;
    threshold_ms: number;
    max_ratio: number;
    max_lag_ms: number;
    failed: boolean;
  };
  cold_start: { init_ms: number; first_call_ms: number } | null;
  slos: SloResult[];
  config: Omit<RunConfig, 'slos' | 'target'> & { target: Record<string, string> };
  series: SeriesPoint[];
}

/**
 * Turns a run into the report: rates, percentiles, counts, late sends, SLO verdicts and the exit code.
 * A late generator (exit 4) outranks an SLO failure (exit 3): figures from a generator that fell
 * behind understate the load, so they can neither pass nor fail an SLO honestly.
 */
export function buildReport(result: RunResult): Report {
  const { config, total } = result;
  const c = total.counters;
  const sendWindowMs = Math.max(profileDurationMs(config.segments), c.lastSentMs, 1);
  const latency = summarize(total.latency);
  const errorRate = c.completed === 0 ? 0 : c.errors / c.completed;
  const lateRatio = c.sent === 0 ? 0 : c.late / c.sent;
  const achieved = round(c.sent / (sendWindowMs / 1000));
  const measured: Record<SloMetric, number> = {
    p50: latency.p50,
    p90: latency.p90,
    p99: latency.p99,
    p999: latency.p999,
    max: latency.max,
    mean: latency.mean,
    error_rate: errorRate,
    late_ratio: lateRatio,
    achieved_rps: achieved,
    requests: c.sent,
    errors: c.errors,
  };
  const slos = evaluateSlos(config.slos, measured);
  const lateFailed = lateRatio > config.maxLateRatio;
  const verdict = lateFailed ? 'generator_late' : slos.every((s) => s.ok) ? 'pass' : 'slo_failed';
  const { slos: _slos, target, ...rest } = config;
  return {
    verdict,
    exit_code: verdict === 'pass' ? EXIT.OK : verdict === 'slo_failed' ? EXIT.SLO_FAILED : EXIT.GENERATOR_LATE,
    started_at: result.startedAt,
    duration_ms: Math.round(result.elapsedMs),
    target_rps:
      config.model === 'open'
        ? round(expectedRequests(config.segments) / (profileDurationMs(config.segments) / 1000))
        : null,
    achieved_rps: achieved,
    throughput_rps: round(c.completed / (Math.max(result.elapsedMs, 1) / 1000)),
    latency_ms: latency,
    service_time_ms: summarize(total.service),
    requests: c.sent,
    completed: c.completed,
    ok: c.ok,
    errors: c.errors,
    error_rate: errorRate,
    expected_rejections: c.expectedRejections,
    status_counts: c.statusCounts,
    error_kinds: c.errorKinds,
    late_sends: {
      count: c.late,
      ratio: lateRatio,
      threshold_ms: config.lateThresholdMs,
      max_ratio: config.maxLateRatio,
      max_lag_ms: round(c.maxLagMs),
      failed: lateFailed,
    },
    cold_start:
      result.cold === undefined
        ? null
        : { init_ms: round(result.cold.initMs), first_call_ms: round(result.cold.firstCallMs) },
    slos,
    config: { ...rest, target: describeTarget(target) },
    series: result.series.map((s) => {
      const l = summarize(s.latency);
      return {
        second: s.second,
        sent: s.counters.sent,
        completed: s.counters.completed,
        errors: s.counters.errors,
        late: s.counters.late,
        latency_ms: { p50: l.p50, p90: l.p90, p99: l.p99, max: l.max },
      };
    }),
  };
}

/** The target without secrets: an API key is never written to a report. */
function describeTarget(target: RunConfig['target']): Record<string, string> {
  switch (target.kind) {
    case 'http':
      return { kind: 'http', url: target.url, api_key: target.apiKey === undefined ? 'none' : 'set' };
    case 'sagemaker':
      return {
        kind: 'sagemaker',
        endpoint: target.endpointName,
        region: target.region,
        endpoint_url: target.endpointUrl ?? 'aws',
      };
    case 'lambda':
      return { kind: 'lambda', handler: target.handlerPath };
  }
}

function expectedRequests(segments: readonly Segment[]): number {
  return segments.reduce((n, s) => n + ((s.from + s.to) / 2) * (s.durationMs / 1000), 0);
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
