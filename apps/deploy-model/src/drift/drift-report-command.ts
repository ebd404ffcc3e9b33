import { readFile, writeFile } from 'node:fs/promises';
import { buildDriftReport, DriftError, formatDriftTable, parseBaseline, renderDriftHtml } from '@lead-scoring/drift';
import { FeatureListJsonSchema, featureSpecsFromJson } from '@lead-scoring/feature-schema';
import { LakeError } from '@lead-scoring/lake';
import { DeployError } from '../errors';
import { withLakeDir } from '../lake/lake-location';

/** Options of `drift-report`, as commander parses them. */
export interface DriftReportOptions {
  lake: string;
  from?: string;
  to?: string;
  manifest: string;
  html?: string;
  failOnAlert?: boolean;
}

/**
 * `drift-report`: reads the lake's Parquet files (a folder, or `s3://bucket[/prefix]` through the AWS SDK), returns the per-feature PSI table and the score shift against the
 * manifest's training baseline (watch >= 0.1, alert >= 0.25), and writes the HTML report when asked.
 * Throws DRIFT_INPUT_INVALID, DRIFT_NO_DATA (exit 2), or DRIFT_ALERT (exit 3, with `failOnAlert`) after printing.
 *
 * @example
 * await driftReport(io, { lake: 'var/lake', manifest: 'models/demo/manifest.json' });
 */
export async function driftReport(io: { stdout(t: string): void }, opts: DriftReportOptions): Promise<void> {
  const manifest = await readManifest(opts.manifest);
  let alert: boolean;
  try {
    const range = { ...(opts.from ? { from: opts.from } : {}), ...(opts.to ? { to: opts.to } : {}) };
    const baseline = parseBaseline(manifest);
    const featureNames = featureNamesOf(manifest, opts.manifest);
    const built = await withLakeDir(opts.lake, range, (lakeDir) =>
      buildDriftReport({ lakeDir, baseline, from: opts.from, to: opts.to, featureNames }).catch((err: unknown) => {
        if (err instanceof DriftError && lakeDir !== opts.lake)
          throw new DriftError(err.code, err.message.split(lakeDir).join(opts.lake), { cause: err });
        throw err;
      }),
    );
    // The report names the lake the operator gave, not the temporary copy of an S3 lake.
    const report = { ...built, lakeDir: opts.lake };
    io.stdout(formatDriftTable(report));
    if (opts.html) {
      // eslint-disable-next-line security/detect-non-literal-fs-filename -- the operator names the output file
      await writeFile(opts.html, renderDriftHtml(report, { generatedAt: new Date() }));
      io.stdout(`HTML report written to ${opts.html}\n`);
    }
    alert = report.alert.length > 0 || report.scoreLevel === 'alert';
  } catch (err) {
    if (err instanceof DriftError && err.code === 'DRIFT_REPORT_NO_DATA')
      throw new DeployError('DRIFT_NO_DATA', err.message, { cause: err });
    if (err instanceof DriftError || err instanceof LakeError)
      throw new DeployError('DRIFT_INPUT_INVALID', err.message, { cause: err });
    throw err;
  }
  if (opts.failOnAlert && alert)
    throw new DeployError('DRIFT_ALERT', 'a feature or the score distribution is at alert level (PSI >= 0.25)');
}

/** The feature names of a manifest, in column order: the lake's feature columns. */
function featureNamesOf(manifest: unknown, path: string): string[] {
  const parsed = FeatureListJsonSchema.safeParse((manifest as { features?: unknown } | null)?.features);
  if (!parsed.success) throw new DeployError('DRIFT_INPUT_INVALID', `manifest ${path} has no valid "features" list`);
  try {
    return featureSpecsFromJson(parsed.data).map((s) => s.name);
  } catch (err) {
    throw new DeployError('DRIFT_INPUT_INVALID', `manifest ${path}: ${(err as Error).message}`, { cause: err });
  }
}

async function readManifest(path: string): Promise<unknown> {
  let text: string;
  try {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- the operator names the manifest
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new DeployError('DRIFT_INPUT_INVALID', `cannot read manifest ${path}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new DeployError('DRIFT_INPUT_INVALID', `manifest ${path} is not JSON: ${(err as Error).message}`, {
      cause: err,
    });
  }
}
