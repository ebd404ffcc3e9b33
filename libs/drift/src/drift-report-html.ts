import type { FeatureDrift } from './drift-accumulator';
import { driftLevel, type DriftReport } from './drift-report';

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const COLORS = { expected: '#8da0cb', actual: '#fc8d62', ok: '#1b9e77', watch: '#e6ab02', alert: '#d95f02' } as const;

/** Grouped bar chart (baseline vs now) as an inline SVG. */
function barChart(labels: readonly string[], expected: readonly number[], actual: readonly number[]): string {
  const w = 420;
  const h = 140;
  const pad = 22;
  const n = Math.max(1, labels.length);
  const slot = (w - pad) / n;
  const bar = Math.max(1, slot / 2 - 1);
  const max = Math.max(0.01, ...expected, ...actual);
  const y = (v: number): number => h - pad - (v / max) * (h - 2 * pad);
  const bars = labels
    .map((label, i) => {
      const x = pad + i * slot;
      const e = expected[i] ?? 0;
      const a = actual[i] ?? 0;
      return (
        `<rect x="${x.toFixed(1)}" y="${y(e).toFixed(1)}" width="${bar.toFixed(1)}" height="${(h - pad - y(e)).toFixed(1)}" fill="${COLORS.expected}"><title>${esc(label)} baseline ${(e * 100).toFixed(1)}%</title></rect>` +
        `<rect x="${(x + bar).toFixed(1)}" y="${y(a).toFixed(1)}" width="${bar.toFixed(1)}" height="${(h - pad - y(a)).toFixed(1)}" fill="${COLORS.actual}"><title>${esc(label)} now ${(a * 100).toFixed(1)}%</title></rect>` +
        (n <= 12
          ? `<text x="${(x + bar).toFixed(1)}" y="${h - 6}" font-size="9" text-anchor="middle">${esc(label)}</text>`
          : '')
      );
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img"><line x1="${pad}" y1="${h - pad}" x2="${w}" y2="${h - pad}" stroke="#999"/>${bars}</svg>`;
}

/** Slot labels of a feature: "missing", then "< c1", "[c1, c2)", ..., ">= ck". */
function slotLabels(f: FeatureDrift): string[] {
  const c = f.cuts;
  const labels = ['missing'];
  for (let i = 0; i <= c.length; i++) {
    if (i === 0) labels.push(c.length ? `<${c[0]}` : 'all');
    else if (i === c.length) labels.push(`>=${c[i - 1]}`);
    else labels.push(`${c[i - 1]}-${c[i]}`);
  }
  return labels;
}

/** PSI of every feature as a horizontal bar chart, with the watch and alert lines. */
function psiOverview(features: readonly FeatureDrift[]): string {
  const rows = features.filter((f) => f.psi !== null);
  const w = 640;
  const rowH = 14;
  const left = 200;
  const h = rows.length * rowH + 30;
  const max = Math.max(0.3, ...rows.map((f) => f.psi ?? 0));
  const x = (v: number): number => left + (v / max) * (w - left - 10);
  const bars = rows
    .map((f, i) => {
      const v = f.psi ?? 0;
      return `<text x="${left - 4}" y="${i * rowH + 11}" font-size="10" text-anchor="end">${esc(f.name)}</text><rect x="${left}" y="${i * rowH + 2}" width="${(x(v) - left).toFixed(1)}" height="${rowH - 4}" fill="${COLORS[driftLevel(v)]}"><title>${esc(f.name)} PSI ${v.toFixed(4)}</title></rect>`;
    })
    .join('');
  const line = (v: number, label: string): string =>
    `<line x1="${x(v).toFixed(1)}" y1="0" x2="${x(v).toFixed(1)}" y2="${h - 20}" stroke="#555" stroke-dasharray="4 3"/><text x="${x(v).toFixed(1)}" y="${h - 6}" font-size="10" text-anchor="middle">${label}</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img">${bars}${line(0.1, 'watch 0.1')}${line(0.25, 'alert 0.25')}</svg>`;
}

/**
 * A self-contained HTML drift report (no scripts, no external assets): PSI overview, score
 * distribution, and baseline-vs-now bins of every feature, worst first.
 *
 * @example
 * await writeFile('drift.html', renderDriftHtml(report));
 */
export function renderDriftHtml(report: DriftReport, opts: { title?: string; generatedAt?: Date } = {}): string {
  const s = report.snapshot;
  const title = opts.title ?? 'Lead scoring drift report';
  const sorted = [...s.features].sort((a, b) => (b.psi ?? -1) - (a.psi ?? -1));
  const badge = (psi: number | null): string => {
    const l = driftLevel(psi);
    return `<span class="b ${l}">${psi === null ? 'no baseline' : `${l.toUpperCase()} ${psi.toFixed(4)}`}</span>`;
  };
  const cards = sorted
    .map(
      (f) =>
        `<div class="card"><h3>${esc(f.name)} ${badge(f.psi)}</h3><p>missing ${(f.missingRate * 100).toFixed(1)}%</p>${f.psi === null ? '' : barChart(slotLabels(f), f.expected, f.actual)}</div>`,
    )
    .join('\n');
  const scoreLabels = ['1', '2', '3', '4', '5'];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:24px;color:#222}
.card{display:inline-block;vertical-align:top;margin:8px;padding:8px;border:1px solid #ddd;border-radius:6px}
h3{font-size:13px;margin:0 0 4px}p{font-size:12px;margin:0 0 4px;color:#555}
.b{font-size:11px;padding:1px 6px;border-radius:8px;color:#fff}.ok{background:${COLORS.ok}}.watch{background:${COLORS.watch}}.alert{background:${COLORS.alert}}
.legend span{display:inline-block;width:10px;height:10px;margin:0 4px 0 12px}
</style></head><body>
<h1>${esc(title)}</h1>
<p>${s.n} leads from ${report.files} files in <code>${esc(report.lakeDir)}</code>, ${esc(report.from ?? 'start')} .. ${esc(report.to ?? 'now')}${opts.generatedAt ? `, generated ${opts.generatedAt.toISOString()}` : ''}.
PSI thresholds: watch &ge; 0.1, alert &ge; 0.25.</p>
<p><strong>Alert:</strong> ${esc(report.alert.join(', ') || 'none')}<br><strong>Watch:</strong> ${esc(report.watch.join(', ') || 'none')}</p>
<p class="legend"><span style="background:${COLORS.expected}"></span>baseline (training)<span style="background:${COLORS.actual}"></span>now (lake)</p>
<h2>Score distribution ${badge(s.scorePsi)}</h2>
${barChart(scoreLabels, s.scores.expected, s.scores.actual)}
<h2>PSI by feature</h2>
${psiOverview(sorted)}
<h2>Feature distributions</h2>
${cards}
</body></html>
`;
}
