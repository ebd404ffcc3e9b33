import type { Report } from './build-report';
import { escapeHtml, lineChart } from './svg-chart';
import { summaryTable } from './text';

/**
 * A self-contained offline HTML page: the summary, SLO verdicts, and per-second charts of
 * latency percentiles and throughput. No script, no external resource.
 *
 * @example
 * writeFileSync('report.html', htmlReport(report));
 */
export function htmlReport(report: Report): string {
  const xs = report.series.map((p) => p.second + 1);
  const latency = lineChart({
    title: 'Latency per second (from due time)',
    xs,
    yUnit: 'ms',
    lines: [
      { label: 'p50', color: '#2b8cbe', values: report.series.map((p) => p.latency_ms.p50) },
      { label: 'p90', color: '#31a354', values: report.series.map((p) => p.latency_ms.p90) },
      { label: 'p99', color: '#e6550d', values: report.series.map((p) => p.latency_ms.p99) },
      { label: 'max', color: '#756bb1', values: report.series.map((p) => p.latency_ms.max) },
    ],
  });
  const throughput = lineChart({
    title: 'Throughput per second',
    xs,
    yUnit: 'req/s',
    lines: [
      { label: 'sent', color: '#2b8cbe', values: report.series.map((p) => p.sent) },
      { label: 'completed', color: '#31a354', values: report.series.map((p) => p.completed) },
      { label: 'errors', color: '#de2d26', values: report.series.map((p) => p.errors) },
      { label: 'late sends', color: '#fd8d3c', values: report.series.map((p) => p.late) },
    ],
  });
  const slos = report.slos
    .map(
      (s) =>
        `<tr class="${s.ok ? 'ok' : 'fail'}"><td>${escapeHtml(s.text)}</td><td>${Number(s.actual.toFixed(6))}</td><td>${s.ok ? 'PASS' : 'FAIL'}</td></tr>`,
    )
    .join('');
  const verdictClass = report.verdict === 'pass' ? 'ok' : 'fail';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Load test report ${escapeHtml(report.started_at)}</title>
<style>body{font-family:sans-serif;margin:24px;color:#222;max-width:820px}pre{background:#f6f6f6;padding:12px;overflow:auto}
figure{margin:16px 0}figcaption{font-weight:bold;margin-bottom:4px}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px}
.ok{color:#1a7f37}.fail{color:#c62828}</style></head><body>
<h1>Load test report</h1>
<p>Started ${escapeHtml(report.started_at)}, verdict <strong class="${verdictClass}">${escapeHtml(report.verdict)}</strong> (exit ${report.exit_code}).</p>
<pre>${escapeHtml(summaryTable(report))}</pre>
${slos === '' ? '' : `<h2>SLOs</h2><table><tr><th>objective</th><th>actual</th><th>result</th></tr>${slos}</table>`}
<h2>Over time</h2>
${latency}
${throughput}
<h2>Configuration</h2>
<pre>${escapeHtml(JSON.stringify(report.config, null, 2))}</pre>
</body></html>
`;
}
