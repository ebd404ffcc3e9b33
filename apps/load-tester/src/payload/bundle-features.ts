import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { featureSpecsFromJson, type FeatureSpec } from '@lead-scoring/feature-schema';
import { DEMO_BUNDLE_DIR, MANIFEST_FILE, ManifestSchema } from '@lead-scoring/model-bundle';
import { LoadTestError } from '../errors';

/**
 * The feature contract of a model bundle (its `manifest.json`), which generated leads follow; the demo bundle
 * when `dir` is undefined. Throws INVALID_BUNDLE naming the file.
 *
 * @example
 * const specs = readBundleFeatures('models/examples/fit-12-bundle');
 */
export function readBundleFeatures(dir: string | undefined): FeatureSpec[] {
  const path = join(dir ?? DEMO_BUNDLE_DIR, MANIFEST_FILE);
  let text: string;
  try {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- the operator names the bundle
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new LoadTestError(
      'INVALID_BUNDLE',
      `--bundle: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
    );
  }
  try {
    return featureSpecsFromJson(ManifestSchema.parse(JSON.parse(text)).features);
  } catch (err) {
    throw new LoadTestError(
      'INVALID_BUNDLE',
      `--bundle: ${path} is not a valid bundle manifest: ${(err as Error).message.slice(0, 300)}`,
    );
  }
}
