import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '@lead-scoring/testing';

/** One measured figure, with its target when it has one. */
export interface Figure {
  metric: string;
  value: number;
  unit: string;
  /** The target as a reader would write it, e.g. `<= 1 ms` or `>= 1.5x`. */
  target?: string;
  holds?: boolean;
  /** Lowest and highest of the rounds the value is the median of. */
  range?: [number, number];
}

/** What one area's bench measured: written to tmp/bench/<area>.json. */
export interface AreaReport {
  area: string;
  at: string;
  machine: string;
  node: string;
  figures: Figure[];
}

/** Where the per-area JSON results go. */
export const resultsDir = join(ROOT, 'tmp', 'bench');

function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const abs = Math.abs(n);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/** The area's figures as a plain-text table: metric | figure (range) | target | holds. */
export function formatReport(r: AreaReport): string {
  const rows = r.figures.map((f) => [
    f.metric,
    `${fmt(f.value)} ${f.unit}${f.range ? ` (${fmt(f.range[0])}–${fmt(f.range[1])})` : ''}`,
    f.target ?? '',
    f.holds === undefined ? '' : f.holds ? 'yes' : 'NO',
  ]);
  const head = ['metric', 'figure (range)', 'target', 'holds'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join(' | ')
      .trimEnd();
  const title = `${r.area} — ${r.machine}, Node ${r.node}, ${r.at}`;
  return [title, line(head), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n') + '\n';
}

/** Prints the area's table on stdout and writes it to tmp/bench/<area>.json for `npm run bench`'s summary. */
export function report(area: string, figures: Figure[]): AreaReport {
  const cpu = cpus();
  const r: AreaReport = {
    area,
    at: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    machine: `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}`,
    node: process.versions.node,
    figures,
  };
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, `${area}.json`), JSON.stringify(r, null, 2) + '\n');
  process.stdout.write('\n' + formatReport(r));
  return r;
}
