import type { Interval } from '../engine/recorder';
import { summarize } from '../histogram';
import type { Report } from './build-report';

/** The per-second line on stderr: `[  5s] 300 req/s  p50 20.4ms  p99 21.9ms  errors 0  late 0`. */
export function liveLine(interval: Interval): string {
  const l = summarize(interval.latency);
  const c = interval.counters;
  const t = String(interval.second + 1).padStart(4);
  return `[${t}s] ${String(c.sent).padStart(6)} req/s  done ${String(c.completed).padStart(6)}  p50 ${ms(l.p50)}  p99 ${ms(l.p99)}  errors ${c.errors}  late ${c.late}`;
}

/**
 * The final summary table on stdout.
 *
 * @example
 * process.stdout.write(summaryTable(report));
 */
export function summaryTable(report: Report): string {
  const l = report.latency_ms;
  const s = report.service_time_ms;
  const rows: [string, string][] = [
    ['verdict', `${report.verdict} (exit ${report.exit_code})`],
    ['model', `${report.config.model}${report.config.workers > 1 ? `, ${report.config.workers} workers` : ''}`],
    ['target rate', report.target_rps === null ? 'closed model' : `${report.target_rps} req/s`],
    ['achieved rate', `${report.achieved_rps} req/s`],
    ['requests', `${report.requests} sent, ${report.completed} done, ${report.ok} ok`],
    ['errors', `${report.errors} (${pct(report.error_rate)})${kinds(report.error_kinds)}`],
    ['expected 4xx', String(report.expected_rejections)],
    ['status codes', kinds(report.status_counts).trim() || '-'],
    ['latency (ms)', `p50 ${l.p50}  p90 ${l.p90}  p99 ${l.p99}  p99.9 ${l.p999}  max ${l.max}`],
    ['service (ms)', `p50 ${s.p50}  p90 ${s.p90}  p99 ${s.p99}  p99.9 ${s.p999}  max ${s.max}`],
    [
      'late sends',
      `${report.late_sends.count} (${pct(report.late_sends.ratio)} > ${report.late_sends.threshold_ms}ms late; max lag ${report.late_sends.max_lag_ms}ms; limit ${pct(report.late_sends.max_ratio)})`,
    ],
  ];
  if (report.cold_start !== null)
    rows.push(['cold start', `init ${report.cold_start.init_ms}ms, first call ${report.cold_start.first_call_ms}ms`]);
  for (const slo of report.slos)
    rows.push([`SLO ${slo.text}`, `${slo.ok ? 'PASS' : 'FAIL'} (actual ${Number(slo.actual.toFixed(6))})`]);
  const width = Math.max(...rows.map(([k]) => k.length));
  return `${rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n')}\n`;
}

function ms(n: number): string {
  return `${n.toFixed(1)}ms`.padStart(9);
}

function pct(ratio: number): string {
  return `${Number((ratio * 100).toFixed(3))}%`;
}

function kinds(counts: Record<string, number>): string {
  const entries = Object.entries(counts);
  return entries.length === 0 ? '' : `  ${entries.map(([k, v]) => `${k}: ${v}`).join(', ')}`;
}
