import type { ContributionShift } from './shadow-contribs';
import { DIFF_BINS, type ShadowStats } from './shadow-stats';

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const pct = (n: number, of: number): string => `${((100 * n) / Math.max(1, of)).toFixed(1)}%`;
const svg = (w: number, h: number, body: string): string =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img">${body}</svg>`;
const text = (x: number, y: number, s: string, extra = ''): string =>
  `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${extra}>${esc(s)}</text>`;

/** The 5x5 agreement matrix as a heat map: rows production's score, columns the shadow's, the diagonal outlined. */
function matrixChart(stats: ShadowStats): string {
  const cell = 64;
  const left = 86;
  const top = 40;
  const max = Math.max(1, ...stats.matrix.flat());
  let body = text(left + 2.5 * cell, 16, 'shadow score', 'text-anchor="middle" font-size="13"');
  body += text(
    18,
    top + 2.5 * cell,
    'production score',
    `text-anchor="middle" font-size="13" transform="rotate(-90 18 ${top + 2.5 * cell})"`,
  );
  for (let p = 0; p < 5; p++) {
    body += text(left - 10, top + p * cell + cell / 2 + 4, String(p + 1), 'text-anchor="end" font-size="13"');
    body += text(left + p * cell + cell / 2, top - 6, String(p + 1), 'text-anchor="middle" font-size="13"');
    for (let s = 0; s < 5; s++) {
      const n = stats.matrix[p]![s]!;
      const t = n / max;
      // White to deep blue by count; the diagonal (agreement) gets a dark outline.
      const fill = `rgb(${Math.round(247 - 208 * t)},${Math.round(251 - 161 * t)},${Math.round(255 - 75 * t)})`;
      const x = left + s * cell;
      const y = top + p * cell;
      body += `<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${fill}" stroke="${p === s ? '#222' : '#ccc'}" stroke-width="${p === s ? 2 : 1}"><title>production ${p + 1}, shadow ${s + 1}: ${n}</title></rect>`;
      body += text(
        x + cell / 2,
        y + cell / 2 + 5,
        String(n),
        `text-anchor="middle" font-size="13" fill="${t > 0.55 ? '#fff' : '#111'}"`,
      );
    }
  }
  return svg(left + 5 * cell + 10, top + 5 * cell + 10, body);
}

/** One horizontal stacked bar: same / moved by 1 / moved by 2 or more. */
function movedChart(stats: ShadowStats): string {
  const w = 520;
  const { same, one, twoOrMore } = stats.moved;
  const total = Math.max(1, same + one + twoOrMore);
  const parts: [string, number, string][] = [
    ['same', same, '#1b9e77'],
    ['moved 1', one, '#e6ab02'],
    ['moved 2+', twoOrMore, '#d95f02'],
  ];
  let x = 0;
  let body = '';
  parts.forEach(([label, n, color], i) => {
    const width = (n / total) * w;
    body += `<rect x="${x.toFixed(1)}" y="10" width="${width.toFixed(1)}" height="34" fill="${color}"><title>${label}: ${n}</title></rect>`;
    body +=
      `<rect x="${i * 170}" y="58" width="12" height="12" fill="${color}"/>` +
      text(i * 170 + 18, 69, `${label} ${pct(n, total)} (${n})`, 'font-size="12"');
    x += width;
  });
  return svg(w, 80, body);
}

/** The distribution of per-lead probability differences, DIFF_BINS bars over 0..1. */
function diffChart(stats: ShadowStats): string {
  const w = 520;
  const h = 170;
  const pad = 26;
  const right = 16;
  const slot = (w - pad - right) / DIFF_BINS;
  const max = Math.max(1, ...stats.diff.bins);
  let body = `<line x1="${pad}" y1="${h - pad}" x2="${w - right}" y2="${h - pad}" stroke="#999"/>`;
  stats.diff.bins.forEach((n, i) => {
    const bh = (n / max) * (h - 2 * pad);
    const lo = i / DIFF_BINS;
    body += `<rect x="${(pad + i * slot + 1).toFixed(1)}" y="${(h - pad - bh).toFixed(1)}" width="${(slot - 2).toFixed(1)}" height="${bh.toFixed(1)}" fill="#7570b3"><title>${lo.toFixed(2)}-${(lo + 1 / DIFF_BINS).toFixed(2)}: ${n}</title></rect>`;
  });
  for (const v of [0, 0.25, 0.5, 0.75, 1])
    body += text(pad + v * (w - pad - right), h - 8, v.toFixed(2), 'text-anchor="middle" font-size="11"');
  body += text(pad, 14, `leads (max ${max} in one bin)`, 'font-size="11"');
  return svg(w, h, body);
}

/** The features whose contributions changed most, as horizontal bars of the mean absolute change. */
function contribsChart(shifts: readonly ContributionShift[]): string {
  const rowH = 22;
  const label = 190;
  const w = 560;
  const max = Math.max(1e-12, ...shifts.map((s) => s.meanAbsChange));
  let body = '';
  shifts.forEach((s, i) => {
    const y = i * rowH + 4;
    const bw = (s.meanAbsChange / max) * (w - label - 70);
    body += text(label - 8, y + 14, s.feature, 'text-anchor="end" font-size="12"');
    body += `<rect x="${label}" y="${y}" width="${bw.toFixed(1)}" height="${rowH - 6}" fill="#e7298a"><title>${esc(s.feature)}: production ${s.production.toFixed(4)}, shadow ${s.shadow.toFixed(4)}</title></rect>`;
    body += text(label + bw + 6, y + 13, s.meanAbsChange.toFixed(4), 'font-size="11"');
  });
  return svg(w, shifts.length * rowH + 8, body);
}

/**
 * The shadow report as one self-contained HTML page (inline CSS and SVG, nothing fetched): the agreement matrix,
 * the share of leads whose score moved by 1 and by 2 or more, the distribution of probability differences and,
 * when both bundles were given, the features whose TreeSHAP contributions changed the most.
 *
 * @example
 * await writeFile('shadow.html', renderShadowHtml(stats, { lake: 'var/lake', generatedAt: new Date(), shifts }));
 */
export function renderShadowHtml(
  stats: ShadowStats,
  opts: { lake: string; generatedAt: Date; shifts?: readonly ContributionShift[] | undefined },
): string {
  const when = (t: number | null): string => (t === null ? '-' : new Date(t).toISOString().replace('.000Z', 'Z'));
  const agree = stats.moved.same;
  const shifts = opts.shifts?.slice(0, 15);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Shadow report</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#111;background:#fff;max-width:1100px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 8px}
.meta{color:#555;font-size:13px}.grid{display:flex;flex-wrap:wrap;gap:28px}
.kpi{display:inline-block;margin:12px 24px 0 0}.kpi b{display:block;font-size:24px}.kpi span{font-size:12px;color:#555}
</style></head><body>
<h1>Shadow report</h1>
<div class="meta">lake ${esc(opts.lake)} &middot; production ${esc(stats.productionVersions.join(', ') || '-')} &middot; shadow ${esc(stats.shadowVersions.join(', ') || '-')}
&middot; leads ${when(stats.from)} to ${when(stats.to)} &middot; generated ${esc(opts.generatedAt.toISOString())}</div>
<div>
<div class="kpi"><b>${stats.shadowed}</b><span>leads scored by both (${stats.leads - stats.shadowed} without a shadow result)</span></div>
<div class="kpi"><b>${pct(agree, stats.shadowed)}</b><span>same score</span></div>
<div class="kpi"><b>${stats.diff.mean.toFixed(4)}</b><span>mean absolute probability difference</span></div>
<div class="kpi"><b>${stats.moved.up} / ${stats.moved.down}</b><span>leads moved up / down</span></div>
</div>
<div class="grid">
<section><h2>Agreement matrix</h2>${matrixChart(stats)}</section>
<section><h2>Score moves</h2>${movedChart(stats)}
<h2>Probability difference per lead</h2>${diffChart(stats)}
<div class="meta">median ${stats.diff.median.toFixed(4)}, 95th percentile ${stats.diff.p95.toFixed(4)}, max ${stats.diff.max.toFixed(4)} (half the L1 distance of the class probabilities; |p - q| for binary models)</div></section>
</div>
${shifts && shifts.length > 0 ? `<h2>Features whose contributions changed the most</h2><div class="meta">mean |TreeSHAP contribution (shadow) - contribution (production)| per lead, margin units</div>${contribsChart(shifts)}` : '<h2>Feature contributions</h2><div class="meta">not computed: pass --model and --shadow-model</div>'}
</body></html>
`;
}
