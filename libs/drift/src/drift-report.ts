import type { DriftBaseline } from './baseline';
import { DriftAccumulator, type DriftSnapshot } from './drift-accumulator';
import { DriftError } from './errors';
import { checkDate, LakeError, listLakeFiles, readLakeColumns } from '@lead-scoring/lake';
import { PSI_ALERT, PSI_WATCH } from './psi';

/** Drift level of a PSI value: ok below 0.1, watch from 0.1, alert from 0.25. */
export type DriftLevel = 'ok' | 'watch' | 'alert';

export function driftLevel(psi: number | null): DriftLevel {
  if (psi === null) return 'ok';
  return psi >= PSI_ALERT ? 'alert' : psi >= PSI_WATCH ? 'watch' : 'ok';
}

/** Options of {@link buildDriftReport}. */
export interface DriftReportOptions {
  readonly lakeDir: string;
  readonly baseline: DriftBaseline;
  /** Inclusive `YYYY-MM-DD` bounds on the `dt` partition. */
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  /** The model's feature names: the lake's feature columns. */
  readonly featureNames: readonly string[];
}

/** The offline drift of a lake range against the training baseline. */
export interface DriftReport {
  readonly lakeDir: string;
  readonly from: string | null;
  readonly to: string | null;
  readonly files: number;
  readonly snapshot: DriftSnapshot;
  readonly watch: readonly string[];
  readonly alert: readonly string[];
  readonly scoreLevel: DriftLevel;
}

/**
 * Reads the lake's Parquet files in range and computes per-feature PSI and the score distribution
 * shift, binning exactly like the live sliding window. Throws DRIFT_REPORT_BAD_INPUT on bad dates or
 * a missing lake, DRIFT_REPORT_NO_DATA when no row falls in range.
 *
 * @example
 * const report = await buildDriftReport({ lakeDir: './var/lake', baseline, from: '2024-05-01' });
 * report.alert; // ['web_visits_30d']
 */
export async function buildDriftReport(opts: DriftReportOptions): Promise<DriftReport> {
  const from = opts.from === undefined ? null : lakeCall(() => checkDate('--from', opts.from!));
  const to = opts.to === undefined ? null : lakeCall(() => checkDate('--to', opts.to!));
  if (from && to && from > to) throw new DriftError('DRIFT_REPORT_BAD_INPUT', `--from ${from} is after --to ${to}`);
  const names = opts.featureNames;
  const files = await lakeCall(() => listLakeFiles(opts.lakeDir, { ...(from ? { from } : {}), ...(to ? { to } : {}) }));
  const acc = new DriftAccumulator({ baseline: opts.baseline, featureNames: names });
  for (const file of files) {
    const cols = await lakeCall(() => readLakeColumns(file.path, [...names, 'score']));
    const scores = cols['score'] ?? [];
    names.forEach((name, f) => {
      for (const v of cols[name] ?? []) acc.addValue(f, typeof v === 'number' ? v : null);
    });
    for (const s of scores) acc.addScore(Number(s));
    acc.countRows(scores.length);
  }
  if (acc.n === 0) {
    const range = from || to ? ` between ${from ?? 'the start'} and ${to ?? 'now'}` : '';
    throw new DriftError('DRIFT_REPORT_NO_DATA', `no scored leads in ${opts.lakeDir}${range} (${files.length} files)`);
  }
  const snapshot = acc.snapshot();
  const level = (l: DriftLevel): string[] =>
    snapshot.features.filter((f) => driftLevel(f.psi) === l).map((f) => f.name);
  return {
    lakeDir: opts.lakeDir,
    from,
    to,
    files: files.length,
    snapshot,
    watch: level('watch'),
    alert: level('alert'),
    scoreLevel: driftLevel(snapshot.scorePsi),
  };
}

/** Runs a lake read, reporting its failures (bad range, missing lake, unreadable file) as the report's bad input. */
function lakeCall<T>(read: () => T): T {
  const wrap = (err: unknown): never => {
    if (err instanceof LakeError) throw new DriftError('DRIFT_REPORT_BAD_INPUT', err.message, { cause: err });
    throw err;
  };
  try {
    const out = read();
    return (out instanceof Promise ? out.catch(wrap) : out) as T;
  } catch (err) {
    return wrap(err);
  }
}

const fmt = (v: number | null, digits = 4): string => (v === null ? '-' : v.toFixed(digits));

/**
 * The report as a plain-text table, features sorted by PSI (highest first).
 *
 * @example
 * process.stdout.write(formatDriftTable(report));
 */
export function formatDriftTable(report: DriftReport): string {
  const s = report.snapshot;
  const width = Math.max(7, ...s.features.map((f) => f.name.length));
  const lines = [
    `Drift report: ${s.n} leads in ${report.files} files of ${report.lakeDir} (${report.from ?? 'start'} .. ${report.to ?? 'now'})`,
    `PSI thresholds: watch >= 0.1, alert >= 0.25`,
    ...(s.n < 500 ? [`Note: only ${s.n} leads; PSI over fewer than ~500 rows is dominated by sampling noise.`] : []),
    '',
    `${'feature'.padEnd(width)}  ${'psi'.padStart(8)}  ${'missing'.padStart(8)}  level`,
  ];
  const sorted = [...s.features].sort((a, b) => (b.psi ?? -1) - (a.psi ?? -1));
  for (const f of sorted) {
    const level = f.psi === null ? 'no baseline' : driftLevel(f.psi).toUpperCase();
    lines.push(
      `${f.name.padEnd(width)}  ${fmt(f.psi).padStart(8)}  ${(f.missingRate * 100).toFixed(1).padStart(7)}%  ${level}`,
    );
  }
  lines.push('', `Score distribution (PSI ${fmt(s.scorePsi)}, ${report.scoreLevel.toUpperCase()}):`);
  for (let i = 0; i < 5; i++) {
    const e = s.scores.expected[i];
    const a = s.scores.actual[i] ?? 0;
    lines.push(
      `  score ${i + 1}: baseline ${e === undefined ? '-' : (e * 100).toFixed(1)}%  now ${(a * 100).toFixed(1)}%`,
    );
  }
  lines.push('', `Alert: ${report.alert.join(', ') || 'none'}`, `Watch: ${report.watch.join(', ') || 'none'}`, '');
  return lines.join('\n');
}
