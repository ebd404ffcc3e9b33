import { writeFile } from 'node:fs/promises';
import { loadBundle, type ModelBundle } from '@lead-scoring/model-bundle';
import { DeployError } from '../errors';
import { withLakeDir } from '../lake/lake-location';
import { readShadowLake } from './read-shadow-lake';
import { contributionShifts, type ContributionShift } from './shadow-contribs';
import { renderShadowHtml } from './shadow-report-html';
import { shadowStats, type ShadowStats } from './shadow-stats';

/** Options of `shadow-report`, as commander parses them. */
export interface ShadowReportOptions {
  lake: string;
  since?: string | undefined;
  html?: string | undefined;
  model?: string | undefined;
  shadowModel?: string | undefined;
  sample?: number | undefined;
}

/**
 * `shadow-report`: reads the lake (a folder, or `s3://bucket/prefix`), compares production and shadow on every lead a
 * shadow model scored since `--since`, prints the summary and, with `--html`, writes the page with its charts. With
 * `--model` and `--shadow-model` it also compares the two models' TreeSHAP contributions on a sample of the leads.
 * Throws SHADOW_INPUT_INVALID, or SHADOW_NO_DATA (exit 2) when no lead in range has a shadow result.
 *
 * @example
 * await shadowReport(io, { lake: 'var/lake', since: '24h', html: 'shadow.html' });
 */
export async function shadowReport(io: { stdout(t: string): void }, opts: ShadowReportOptions): Promise<ShadowStats> {
  if ((opts.model === undefined) !== (opts.shadowModel === undefined)) {
    throw new DeployError(
      'USAGE',
      'shadow-report needs both --model and --shadow-model (the two bundles) to compare contributions, or neither',
    );
  }
  const since = opts.since === undefined ? undefined : parseSince(opts.since, Date.now());
  const bundles = opts.model && opts.shadowModel ? await loadBoth(opts.model, opts.shadowModel) : null;
  const featureNames = bundles?.production.contract.names;
  const read = await withLakeDir(
    opts.lake,
    { ...(since === undefined ? {} : { since }), ...(featureNames ? { featureNames } : {}) },
    (dir) =>
      readShadowLake(dir, { ...(since === undefined ? {} : { since }), ...(featureNames ? { featureNames } : {}) }),
  );
  const stats = shadowStats(read.rows);
  if (stats.shadowed === 0) {
    throw new DeployError(
      'SHADOW_NO_DATA',
      `no lead scored by a shadow model in ${opts.lake}${opts.since ? ` since ${opts.since}` : ''} (${read.rows.length} leads in ${read.files} files)`,
    );
  }
  const shifts = bundles
    ? contributionShifts(read.rows, bundles.production, bundles.shadow, opts.sample ?? 500)
    : undefined;
  io.stdout(formatShadowSummary(stats, { lake: opts.lake, shifts }));
  if (opts.html) {
    try {
      // eslint-disable-next-line security/detect-non-literal-fs-filename -- the operator names the output file
      await writeFile(opts.html, renderShadowHtml(stats, { lake: opts.lake, generatedAt: new Date(), shifts }));
    } catch (err) {
      throw new DeployError('OUTPUT_WRITE_FAILED', `cannot write ${opts.html}: ${(err as Error).message}`, {
        cause: err,
      });
    }
    io.stdout(`HTML report written to ${opts.html}\n`);
  }
  return stats;
}

/**
 * `--since`: an ISO 8601 date or time (`2026-11-29`, `2026-11-29T08:00:00Z`) or a duration back from now (`90m`,
 * `24h`, `7d`). Returns epoch ms.
 *
 * @example parseSince('24h', Date.now()) // a day ago
 */
export function parseSince(value: string, now: number): number {
  const rel = /^(\d+)(m|h|d)$/.exec(value.trim());
  if (rel) return now - Number(rel[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[rel[2] as 'm' | 'h' | 'd'];
  const v = value.trim();
  const day = /^\d{4}-\d{2}-\d{2}$/.test(v.slice(0, 10));
  // A time must say its zone (Z or ±hh:mm): a bare local time would read differently on every machine.
  const zoned = v.length === 10 || (v[10] === 'T' && (v.endsWith('Z') || /[+-]\d{2}:\d{2}$/.test(v)));
  const t = day && zoned ? Date.parse(v.length === 10 ? `${v}T00:00:00Z` : v) : NaN;
  if (Number.isNaN(t))
    throw new DeployError(
      'SHADOW_INPUT_INVALID',
      `--since must be a date, a UTC time or a duration such as 24h or 7d, got "${value}"`,
    );
  return t;
}

async function loadBoth(model: string, shadowModel: string): Promise<{ production: ModelBundle; shadow: ModelBundle }> {
  const load = async (dir: string, flag: string): Promise<ModelBundle> => {
    try {
      return await loadBundle(dir);
    } catch (err) {
      throw new DeployError('SHADOW_INPUT_INVALID', `${flag} ${dir}: ${(err as Error).message}`, { cause: err });
    }
  };
  return { production: await load(model, '--model'), shadow: await load(shadowModel, '--shadow-model') };
}

/** The summary `shadow-report` prints. */
export function formatShadowSummary(
  s: ShadowStats,
  opts: { lake: string; shifts?: readonly ContributionShift[] | undefined },
): string {
  const pct = (n: number): string => `${((100 * n) / Math.max(1, s.shadowed)).toFixed(1)}%`;
  const when = (t: number | null): string => (t === null ? '-' : new Date(t).toISOString());
  const lines = [
    `Shadow report: ${s.shadowed} leads scored by production and shadow (${s.leads - s.shadowed} without a shadow result) in ${opts.lake}`,
    `  from ${when(s.from)} to ${when(s.to)}; production ${s.productionVersions.join(', ')}, shadow ${s.shadowVersions.join(', ')}`,
    '',
    `Same score ${pct(s.moved.same)}, moved by 1 ${pct(s.moved.one)}, by 2 or more ${pct(s.moved.twoOrMore)} (up ${s.moved.up}, down ${s.moved.down})`,
    `Probability difference per lead: mean ${s.diff.mean.toFixed(4)}, median ${s.diff.median.toFixed(4)}, p95 ${s.diff.p95.toFixed(4)}, max ${s.diff.max.toFixed(4)} (${s.diff.compared} leads)`,
    '',
    'Agreement matrix (rows: production score, columns: shadow score)',
    `      ${[1, 2, 3, 4, 5].map((c) => String(c).padStart(8)).join('')}`,
    ...s.matrix.map((row, p) => `  ${String(p + 1).padStart(2)}  ${row.map((n) => String(n).padStart(8)).join('')}`),
  ];
  if (opts.shifts) {
    lines.push('', 'Features whose TreeSHAP contributions changed the most (mean |shadow - production|):');
    for (const f of opts.shifts.slice(0, 10))
      lines.push(
        `  ${f.feature.padEnd(32)} ${f.meanAbsChange.toFixed(4)}  (production ${f.production.toFixed(4)}, shadow ${f.shadow.toFixed(4)})`,
      );
  }
  return `${lines.join('\n')}\n`;
}
