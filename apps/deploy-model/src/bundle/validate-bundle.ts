import type { FeatureSpec } from '@lead-scoring/feature-schema';
import { checkReference, loadBundle, mapScore, type ModelBundle } from '@lead-scoring/model-bundle';
import { DeployError } from '../errors';

/** What `validate` reports about a bundle that passed. */
export interface ValidationReport {
  readonly name: string;
  readonly version: string;
  readonly objective: string;
  readonly sha256: string;
  readonly numFeatures: number;
  readonly sampleScores: readonly number[];
  readonly reference: { readonly rows: number; readonly maxAbsDiff: number } | null;
}

function codeOf(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? `${code}: ` : '';
}

/** Loads a bundle folder, turning every loader failure (missing file, sha256, features, objective) into BUNDLE_INVALID. */
export async function loadBundleChecked(dir: string): Promise<ModelBundle> {
  try {
    return await loadBundle(dir);
  } catch (cause) {
    throw new DeployError('BUNDLE_INVALID', `bundle ${dir} is invalid: ${codeOf(cause)}${(cause as Error).message}`, {
      cause,
    });
  }
}

/** Rows scored as a smoke test: all missing, then every feature at the low end, middle and high end of its range. */
function sampleRows(features: readonly FeatureSpec[]): (number | null)[][] {
  // An unbounded end stands 1,000 past the other end (or 0).
  const lo = (f: FeatureSpec) => (Number.isFinite(f.min) ? f.min : (Number.isFinite(f.max) ? f.max : 0) - 1000);
  const hi = (f: FeatureSpec) => (Number.isFinite(f.max) ? f.max : lo(f) + 2000);
  const at = (t: number): number[] =>
    features.map((f) => {
      const v = lo(f) + (hi(f) - lo(f)) * t;
      return f.integer ? Math.round(v) : v;
    });
  return [features.map(() => null), at(0), at(0.5), at(1)];
}

function flat(value: unknown): number[] {
  return Array.isArray(value) ? value.flatMap((v) => flat(v)) : [Number(value)];
}

function scoreRows(bundle: ModelBundle, rows: (number | null)[][]): number[] {
  const width = bundle.model.predictionWidth;
  const predictions = Float64Array.from(flat(bundle.model.predict(rows, 'prediction')));
  return rows.map((_, r) => {
    for (let k = 0; k < width; k++) {
      const p = predictions[r * width + k];
      if (p === undefined || !Number.isFinite(p)) {
        throw new DeployError(
          'BUNDLE_INVALID',
          `the model returns a non-finite prediction (${String(p)}) for sample row ${r}`,
        );
      }
    }
    return mapScore(bundle.manifest, predictions, r * width, width);
  });
}

function compareReference(bundle: ModelBundle): ValidationReport['reference'] {
  if (bundle.manifest.reference === undefined) return null;
  try {
    return checkReference(bundle);
  } catch (cause) {
    throw new DeployError('REFERENCE_MISMATCH', `${codeOf(cause)}${(cause as Error).message}`, { cause });
  }
}

/**
 * Everything `validate` checks, on an already loaded bundle: a smoke test on sample rows (finite predictions,
 * scores 1..5) and, when the manifest carries reference predictions, that ours match them.
 */
export function checkBundle(bundle: ModelBundle): ValidationReport {
  const sampleScores = scoreRows(bundle, sampleRows(bundle.contract.features));
  const reference = compareReference(bundle);
  const m = bundle.manifest;
  return {
    name: m.name,
    version: m.version,
    objective: m.objective,
    sha256: m.sha256,
    numFeatures: bundle.model.numFeatures,
    sampleScores,
    reference,
  };
}

/**
 * Loads and checks a bundle folder; throws a DeployError (BUNDLE_INVALID, REFERENCE_MISMATCH) on any problem.
 *
 * @example const { bundle, report } = await validateBundle('models/demo');
 */
export async function validateBundle(dir: string): Promise<{ bundle: ModelBundle; report: ValidationReport }> {
  const bundle = await loadBundleChecked(dir);
  return { bundle, report: checkBundle(bundle) };
}
