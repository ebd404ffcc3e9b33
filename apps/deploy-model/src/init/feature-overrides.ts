import { readFile } from 'node:fs/promises';
import {
  FEATURE_KINDS,
  featureSpecsFromJson,
  featureSpecsToJson,
  type FeatureSpecJson,
} from '@lead-scoring/feature-schema';
import { z } from 'zod';
import { DeployError, unreadable } from '../errors';

/** One feature's override in `--features`: a partial manifest spec; `null` for min/max means unbounded. */
const OverrideSchema = z.strictObject({
  description: z.string().optional(),
  unit: z.string().optional(),
  kind: z.enum(FEATURE_KINDS).optional(),
  min: z.number().nullable().optional(),
  max: z.number().nullable().optional(),
  integer: z.boolean().optional(),
  allow_missing: z.boolean().optional(),
});

const OverridesSchema = z.record(z.string(), OverrideSchema);

/** `--features` file content: partial specs keyed by feature name. */
export type FeatureOverrides = z.infer<typeof OverridesSchema>;

/**
 * Reads a `--features` file: a JSON object keyed by feature name, each value a partial spec
 * (`{description?, unit?, kind?, min?, max?, integer?, allow_missing?}`). Throws FEATURES_FILE_INVALID.
 *
 * @example await readFeatureOverrides('spec.json') // { seats_requested: { unit: 'seats', min: 1 } }
 */
export async function readFeatureOverrides(file: string): Promise<FeatureOverrides> {
  let text: string;
  try {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- the operator names the spec file
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw unreadable('--features', file, cause);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new DeployError('FEATURES_FILE_INVALID', `${file} is not valid JSON: ${(cause as Error).message}`, { cause });
  }
  const parsed = OverridesSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new DeployError('FEATURES_FILE_INVALID', `${file} is invalid: ${problems.join('; ')}`, {
      hint: 'expected {"<feature>": {"description"?, "unit"?, "kind"?, "min"?, "max"?, "integer"?, "allow_missing"?}, ...}',
    });
  }
  return parsed.data;
}

/**
 * Applies overrides to inferred specs (a `null` bound removes it) and checks the result as a whole.
 * Throws FEATURES_FILE_INVALID naming an unknown feature or a spec that no longer holds (e.g. min > max).
 *
 * @example applyFeatureOverrides(specs, { seats_requested: { min: null } }, 'spec.json')
 */
export function applyFeatureOverrides(
  specs: readonly FeatureSpecJson[],
  overrides: FeatureOverrides,
  file: string,
): FeatureSpecJson[] {
  const known = new Set(specs.map((s) => s.name));
  const unknown = Object.keys(overrides).filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new DeployError(
      'FEATURES_FILE_INVALID',
      `${file} names features the model does not have: ${unknown.map((n) => JSON.stringify(n)).join(', ')}`,
    );
  }
  const merged = specs.map((spec) => {
    const o = Object.hasOwn(overrides, spec.name) ? overrides[spec.name] : undefined;
    if (!o) return spec;
    // A null bound stays null here: featureSpecsFromJson reads it as unbounded and featureSpecsToJson leaves it out.
    return { ...spec, ...Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) } as FeatureSpecJson;
  });
  try {
    return featureSpecsToJson(featureSpecsFromJson(merged));
  } catch (cause) {
    throw new DeployError('FEATURES_FILE_INVALID', `${file} makes a feature invalid: ${(cause as Error).message}`, {
      cause,
    });
  }
}
