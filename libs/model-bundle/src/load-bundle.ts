import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createFeatureContract, featureSpecsFromJson, type FeatureContract } from '@lead-scoring/feature-schema';
import { EvaluatorError, parseModel, type Model } from '@lead-scoring/xgboost-evaluator';
import { BundleError, BundleErrorCode } from './errors';
import { ManifestSchema, type Manifest } from './manifest';

/** A verified model bundle: its manifest and the loaded model, ready to score. */
export interface ModelBundle {
  /** Where it came from: a folder path, or a label such as an S3 URI. */
  readonly dir: string;
  readonly manifest: Manifest;
  /** The model's input contract, from the manifest's `features`: what requests are validated against. */
  readonly contract: FeatureContract;
  readonly model: Model;
  readonly modelBytes: Uint8Array;
}

export const MANIFEST_FILE = 'manifest.json';
export const MODEL_FILE = 'xgboost-model';

/**
 * Loads and verifies the bundle in `dir` (`manifest.json` + `xgboost-model`).
 * Throws {@link BundleError} naming the file and the problem.
 *
 * @example
 * const bundle = await loadBundle(DEMO_BUNDLE_DIR);
 * bundle.model.predict([row]);
 */
export async function loadBundle(dir: string): Promise<ModelBundle> {
  const abs = resolve(dir);
  const manifestPath = join(abs, MANIFEST_FILE);
  const manifestText = await readOrThrow(manifestPath, 'utf8');
  let manifest: unknown;
  try {
    manifest = JSON.parse(manifestText);
  } catch (err) {
    throw new BundleError(
      BundleErrorCode.MANIFEST_INVALID,
      `${manifestPath} is not valid JSON: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
  const modelBytes = await readOrThrow(join(abs, MODEL_FILE));
  return bundleFromBytes({ manifest, modelBytes, dir: abs });
}

/**
 * Verifies and loads a bundle already in memory (S3 objects, a tarball): the same checks as
 * {@link loadBundle}. `manifest` is the parsed JSON, validated here.
 *
 * @example
 * const bundle = bundleFromBytes({ manifest: JSON.parse(text), modelBytes, dir: 's3://bucket/models/v2' });
 */
export function bundleFromBytes(opts: { manifest: unknown; modelBytes: Uint8Array; dir: string }): ModelBundle {
  const { modelBytes, dir } = opts;
  const manifest = parseManifest(opts.manifest, dir);
  const contract = contractOf(manifest, dir);
  const sha = createHash('sha256').update(modelBytes).digest('hex');
  if (sha !== manifest.sha256) {
    throw new BundleError(
      BundleErrorCode.SHA256_MISMATCH,
      `${dir}/${MODEL_FILE} has sha256 ${sha} but the manifest says ${manifest.sha256}: the model file was changed or truncated`,
    );
  }
  let model: Model;
  try {
    model = parseModel(modelBytes);
  } catch (err) {
    const why = err instanceof EvaluatorError ? `${err.code}: ${err.message}` : String(err);
    throw new BundleError(BundleErrorCode.MODEL_INVALID, `${dir}/${MODEL_FILE} cannot be loaded (${why})`, {
      cause: err,
    });
  }
  checkModel(model, manifest, contract, dir);
  return Object.freeze({ dir, manifest, contract, model, modelBytes });
}

function parseManifest(raw: unknown, dir: string): Manifest {
  const parsed = ManifestSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new BundleError(BundleErrorCode.MANIFEST_INVALID, `${dir}/${MANIFEST_FILE} is invalid: ${problems.join('; ')}`);
}

function contractOf(manifest: Manifest, dir: string): FeatureContract {
  try {
    return createFeatureContract(featureSpecsFromJson(manifest.features));
  } catch (err) {
    throw new BundleError(
      BundleErrorCode.MANIFEST_INVALID,
      `${dir}/${MANIFEST_FILE} features are invalid: ${(err as Error).message}`,
      { cause: err },
    );
  }
}

function checkModel(model: Model, manifest: Manifest, contract: FeatureContract, dir: string): void {
  const where = `${dir}/${MODEL_FILE}`;
  if (model.numFeatures !== contract.size) {
    throw new BundleError(
      BundleErrorCode.FEATURES_MISMATCH,
      `${where} was trained on ${model.numFeatures} features; the manifest lists ${contract.size}`,
    );
  }
  const names = model.featureNames;
  const at = names ? names.findIndex((n, i) => n !== contract.names[i]) : -1;
  if (at >= 0) {
    throw new BundleError(
      BundleErrorCode.FEATURES_MISMATCH,
      `${where} has feature ${JSON.stringify(names![at])} at column ${at}; the manifest has ${JSON.stringify(contract.names[at])}`,
    );
  }
  if (model.objective !== manifest.objective) {
    throw new BundleError(
      BundleErrorCode.OBJECTIVE_MISMATCH,
      `${where} has objective ${model.objective}; the manifest says ${manifest.objective}`,
    );
  }
  // XGBoost stores num_class 0 for binary models while the evaluator reports 2: accept either there.
  const classOk = manifest.objective.startsWith('binary:')
    ? manifest.num_class === 0 || manifest.num_class === 2
    : manifest.num_class === model.numClass;
  if (!classOk) {
    throw new BundleError(
      BundleErrorCode.OBJECTIVE_MISMATCH,
      `${where} has ${model.numClass} classes; the manifest says num_class ${manifest.num_class}`,
    );
  }
}

async function readOrThrow(path: string): Promise<Uint8Array>;
async function readOrThrow(path: string, encoding: 'utf8'): Promise<string>;
async function readOrThrow(path: string, encoding?: 'utf8'): Promise<Uint8Array | string> {
  try {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- reading the bundle the operator named is the point
    return encoding ? await readFile(path, encoding) : new Uint8Array(await readFile(path));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? String(err)})`;
    throw new BundleError(BundleErrorCode.NOT_FOUND, `model bundle file ${path} ${why}`, { cause: err });
  }
}
