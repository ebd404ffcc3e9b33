/** One line of a chart. */
export interface ChartLine {
  label: string;
  color: string;
  values: readonly number[];
}

const W = 760;
const H = 260;
const PAD = { left: 56, right: 16, top: 16, bottom: 40 };

/**
 * A self-contained SVG line chart (axes, ticks, legend), drawn without any library so the
 * report opens offline.
 *
 * @example
 * lineChart({ title: 'req/s', xs: [1, 2], lines: [{ label: 'sent', color: '#1f77b4', values: [300, 300] }], yUnit: 'req/s' });
 */
export function lineChart(opts: {
  title: string;
  xs: readonly number[];
  lines: readonly ChartLine[];
  yUnit: string;
}): string {
  const all = opts.lines.flatMap((l) => l.values);
  const yMax = niceMax(Math.max(1e-9, ...all));
  const xMin = opts.xs[0] ?? 0;
  const xMax = Math.max(xMin + 1, opts.xs[opts.xs.length - 1] ?? 1);
  const px = (x: number): number => PAD.left + ((x - xMin) / (xMax - xMin)) * (W - PAD.left - PAD.right);
  const py = (y: number): number => H - PAD.bottom - (y / yMax) * (H - PAD.top - PAD.bottom);
  const yTicks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * yMax);
  const xTicks = Array.from({ length: 6 }, (_, i) => xMin + ((xMax - xMin) * i) / 5);
  const grid = yTicks
    .map(
      (y) =>
        `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${f(py(y))}" y2="${f(py(y))}" stroke="#ddd"/><text x="${PAD.left - 6}" y="${f(py(y) + 4)}" text-anchor="end">${fmt(y)}</text>`,
    )
    .join('');
  const xAxis = xTicks
    .map((x) => `<text x="${f(px(x))}" y="${H - PAD.bottom + 16}" text-anchor="middle">${fmt(x)}s</text>`)
    .join('');
  const paths = opts.lines
    .map((l) => {
      const d = l.values.map((v, i) => `${i === 0 ? 'M' : 'L'}${f(px(opts.xs[i] ?? i))},${f(py(v))}`).join('');
      return `<path d="${d}" fill="none" stroke="${l.color}" stroke-width="1.8"/>`;
    })
    .join('');
  const legend = opts.lines
    .map(
      (l, i) =>
        `<rect x="${PAD.left + i * 110}" y="${H - 14}" width="12" height="4" fill="${l.color}"/><text x="${PAD.left + i * 110 + 16}" y="${H - 9}">${escapeHtml(l.label)}</text>`,
    )
    .join('');
  return (
    `<figure><figcaption>${escapeHtml(opts.title)}</figcaption>` +
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="sans-serif" font-size="11" role="img">` +
    `<text x="8" y="${PAD.top}" fill="#555">${escapeHtml(opts.yUnit)}</text>${grid}${xAxis}` +
    `<line x1="${PAD.left}" x2="${PAD.left}" y1="${PAD.top}" y2="${H - PAD.bottom}" stroke="#888"/>${paths}${legend}</svg></figure>`
  );
}

/** Escapes text for HTML element and attribute content. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function niceMax(max: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(max));
  const step = [1, 2, 2.5, 5, 10].find((s) => s * magnitude >= max) ?? 10;
  return step * magnitude;
}

function fmt(n: number): string {
  return n >= 100 ? String(Math.round(n)) : String(Number(n.toFixed(2)));
}

function f(n: number): string {
  return n.toFixed(1);
}
