import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bundleFromBytes, MANIFEST_FILE, MODEL_FILE, type ModelBundle } from '@lead-scoring/model-bundle';
import { checkBundle, type ValidationReport } from '../bundle/validate-bundle';
import { DeployError } from '../errors';
import { readModelFileBytes } from '../predict/run-predict';
import { buildManifest } from './build-manifest';
import { readFeatureOverrides } from './feature-overrides';
import { checkModelName, checkVersion, createdAt, parseThresholds } from './init-options';
import { featureNamesOf } from './match-columns';
import { readSample } from './read-sample';

/** Flags of `init`. */
export interface InitOptions {
  readonly model: string;
  readonly sample: string;
  readonly out: string;
  readonly name: string;
  readonly version: string;
  readonly features?: string | undefined;
  readonly thresholds?: string | undefined;
  /** SOURCE_DATE_EPOCH, seconds: pins created_at. */
  readonly sourceDateEpoch?: number | undefined;
}

/** What `init` made. */
export interface InitResult {
  readonly out: string;
  readonly bundle: ModelBundle;
  readonly report: ValidationReport;
  readonly sampleRows: number;
  readonly truncated: boolean;
}

async function checkOutFree(out: string): Promise<void> {
  let entries: string[];
  try {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- the operator names the output folder
    if (!(await stat(out)).isDirectory())
      throw new DeployError('OUT_NOT_EMPTY', `--out ${out} exists and is not a folder`);
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- same
    entries = await readdir(out);
  } catch (cause) {
    if (cause instanceof DeployError) throw cause;
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    throw new DeployError('OUTPUT_WRITE_FAILED', `cannot use --out ${out}: ${code ?? (cause as Error).message}`, {
      cause,
    });
  }
  if (entries.length > 0) {
    throw new DeployError(
      'OUT_NOT_EMPTY',
      `--out ${out} is not empty (${entries.length} entries); init writes a new bundle only into a new or empty folder`,
    );
  }
}

function verify(
  manifest: unknown,
  modelBytes: Uint8Array,
  out: string,
): { bundle: ModelBundle; report: ValidationReport } {
  try {
    const bundle = bundleFromBytes({ manifest, modelBytes, dir: path.resolve(out) });
    return { bundle, report: checkBundle(bundle) };
  } catch (cause) {
    const code = (cause as { code?: unknown }).code;
    const prefix = typeof code === 'string' ? `${code}: ` : '';
    throw new DeployError(
      'BUNDLE_INVALID',
      `the bundle init built does not validate: ${prefix}${(cause as Error).message}`,
      { cause },
    );
  }
}

async function writeBundle(out: string, modelBytes: Uint8Array, manifestText: string): Promise<void> {
  try {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- the operator names the output folder
    await mkdir(out, { recursive: true });
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- same folder
    await writeFile(path.join(out, MODEL_FILE), modelBytes);
    // The manifest goes last: a folder with a manifest is a complete bundle.
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- same folder
    await writeFile(path.join(out, MANIFEST_FILE), manifestText);
  } catch (cause) {
    throw new DeployError(
      'OUTPUT_WRITE_FAILED',
      `cannot write the bundle into ${out}: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`,
      { cause },
    );
  }
}

/**
 * Makes a model bundle from a data scientist's model file and training sample: infers the feature contract,
 * the score mapping, the drift baseline and reference predictions, checks the result as `validate` would,
 * then writes `xgboost-model` (unchanged bytes) and `manifest.json` into `out`.
 *
 * @example await initBundle({ model: 'model.json', sample: 'sample.csv', out: 'models/fit-12', name: 'fit-12', version: '1.0.0' });
 */
export async function initBundle(opts: InitOptions): Promise<InitResult> {
  const name = checkModelName(opts.name);
  const version = checkVersion(opts.version);
  const thresholds = opts.thresholds === undefined ? undefined : parseThresholds(opts.thresholds);
  await checkOutFree(opts.out);
  const { model, bytes } = await readModelFileBytes(opts.model);
  const overrides =
    opts.features === undefined ? undefined : { file: opts.features, specs: await readFeatureOverrides(opts.features) };
  const sample = await readSample(opts.sample);
  const featureNames = featureNamesOf(model, sample.names, opts.sample);
  const manifest = buildManifest({
    name,
    version,
    createdAt: createdAt(opts.sourceDateEpoch),
    modelFile: opts.model,
    model,
    modelBytes: bytes,
    sample,
    featureNames,
    overrides,
    thresholds,
  });
  const { bundle, report } = verify(manifest, bytes, opts.out);
  await writeBundle(opts.out, bytes, `${JSON.stringify(manifest, null, 2)}\n`);
  return { out: opts.out, bundle, report, sampleRows: sample.rows, truncated: sample.truncated };
}
