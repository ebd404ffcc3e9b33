/**
 * `npm run drift-report -- --lake <dir> [--from YYYY-MM-DD --to YYYY-MM-DD] [--manifest <path>] [--html <out.html>] [--fail-on-alert]`
 *
 * Reads the data lake's Parquet files, prints a per-feature PSI table and the score distribution
 * shift against the manifest's training baseline (watch >= 0.1, alert >= 0.25), and optionally writes a
 * self-contained HTML report. Exit codes: 0 done, 1 bad input or unreadable lake, 2 no data in range,
 * 3 an alert was found and --fail-on-alert was given. Flags only (no environment variables).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { Command, CommanderError } from 'commander';
import { FeatureListJsonSchema, featureSpecsFromJson } from '@lead-scoring/feature-schema';
import { buildDriftReport, formatDriftTable, ObservabilityError, parseBaseline, renderDriftHtml } from '@lead-scoring/observability';

interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Runs the CLI on `argv` (without node and script); resolves to the exit code. */
export async function runDriftReport(argv: readonly string[], io: Io): Promise<number> {
  const program = new Command('drift-report')
    .requiredOption('--lake <dir>', 'lake root (the LAKE_DIR of the server, e.g. ./var/lake)')
    .option('--from <date>', 'first day, YYYY-MM-DD (UTC, inclusive)')
    .option('--to <date>', 'last day, YYYY-MM-DD (UTC, inclusive)')
    .option('--manifest <path>', 'bundle manifest with the training baseline', 'models/demo/manifest.json')
    .option('--html <file>', 'also write an HTML report with charts to this file')
    .option('--fail-on-alert', 'exit 3 when a feature or the score distribution is at alert level')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  try {
    program.parse([...argv], { from: 'user' });
  } catch (err) {
    return err instanceof CommanderError && err.exitCode === 0 ? 0 : 1;
  }
  const opts = program.opts<{ lake: string; from?: string; to?: string; manifest: string; html?: string; failOnAlert?: boolean }>();
  try {
    const manifest = await readManifest(opts.manifest);
    const baseline = parseBaseline(manifest);
    const featureNames = featureNamesOf(manifest, opts.manifest);
    const report = await buildDriftReport({ lakeDir: opts.lake, baseline, from: opts.from, to: opts.to, featureNames });
    io.stdout(formatDriftTable(report));
    if (opts.html) {
      // eslint-disable-next-line security/detect-non-literal-fs-filename -- the operator names the output file
      await writeFile(opts.html, renderDriftHtml(report, { generatedAt: new Date() }));
      io.stdout(`HTML report written to ${opts.html}\n`);
    }
    const alert = report.alert.length > 0 || report.scoreLevel === 'alert';
    return opts.failOnAlert && alert ? 3 : 0;
  } catch (err) {
    io.stderr(`drift-report: ${err instanceof Error ? err.message : String(err)}\n`);
    return err instanceof ObservabilityError && err.code === 'DRIFT_REPORT_NO_DATA' ? 2 : 1;
  }
}

/** The feature names of a manifest, in column order: the lake's feature columns. */
function featureNamesOf(manifest: unknown, path: string): string[] {
  const parsed = FeatureListJsonSchema.safeParse((manifest as { features?: unknown } | null)?.features);
  if (!parsed.success) throw new ObservabilityError('DRIFT_REPORT_BAD_INPUT', `manifest ${path} has no valid "features" list`);
  try {
    return featureSpecsFromJson(parsed.data).map((s) => s.name);
  } catch (err) {
    throw new ObservabilityError('DRIFT_REPORT_BAD_INPUT', `manifest ${path}: ${(err as Error).message}`, { cause: err });
  }
}

async function readManifest(path: string): Promise<unknown> {
  let text: string;
  try {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- the operator names the manifest
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ObservabilityError('DRIFT_REPORT_BAD_INPUT', `cannot read manifest ${path}: ${(err as Error).message}`, { cause: err });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new ObservabilityError('DRIFT_REPORT_BAD_INPUT', `manifest ${path} is not JSON: ${(err as Error).message}`, { cause: err });
  }
}

if (require.main === module) {
  // `drift-report ... | head` closes stdout early: that is not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  void runDriftReport(process.argv.slice(2), {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
  }).then((code) => {
    process.exitCode = code;
  });
}
