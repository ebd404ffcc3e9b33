import { z } from 'zod';
import { FeatureSchemaError } from './errors';

/** What a feature measures; `number` when nothing more is known. Load generators draw values by kind. */
export const FEATURE_KINDS = ['count', 'ratio', 'flag', 'days', 'amount', 'score', 'index', 'number'] as const;
export type FeatureKind = (typeof FEATURE_KINDS)[number];

/** One model input: its name, meaning and the values a request may carry for it. */
export interface FeatureSpec {
  /** Unique; the position in the contract is the model's column. */
  readonly name: string;
  readonly description: string;
  /** Unit of measure, e.g. `visits`, `days`, `USD millions`, `0..1`; may be empty. */
  readonly unit: string;
  readonly kind: FeatureKind;
  /** Smallest valid value (inclusive); `-Infinity` when unbounded. */
  readonly min: number;
  /** Largest valid value (inclusive); `Infinity` when unbounded. */
  readonly max: number;
  /** Whether only whole numbers are valid. */
  readonly integer: boolean;
  /** Whether `null` (missing) is valid; XGBoost routes missing values down each tree's default branch. */
  readonly allowMissing: boolean;
}

/** The longest feature name accepted. */
export const MAX_FEATURE_NAME_LENGTH = 128;
// Keys the API's JSON scan refuses (prototype pollution), so no feature may be named after them.
const RESERVED_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
// eslint-disable-next-line no-control-regex -- control characters are exactly what the name may not hold
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * One feature as `manifest.json` spells it. Only `name` is required: a bare name (or the legacy string
 * form) is an unbounded number that may be missing.
 */
export const FeatureSpecJsonSchema = z.strictObject({
  name: z.string(),
  description: z.string().default(''),
  unit: z.string().default(''),
  kind: z.enum(FEATURE_KINDS).default('number'),
  min: z.number().nullable().optional(),
  max: z.number().nullable().optional(),
  integer: z.boolean().default(false),
  allow_missing: z.boolean().default(true),
});
export type FeatureSpecJson = z.input<typeof FeatureSpecJsonSchema>;

/** The `features` of a manifest: spec objects, or bare names (legacy bundles). */
export const FeatureListJsonSchema = z.array(z.union([z.string(), FeatureSpecJsonSchema])).min(1);

/**
 * Turns the manifest form into specs (absent bounds become ±Infinity) and checks them as a whole;
 * throws {@link FeatureSchemaError} `FEATURE_SPEC_INVALID` naming the feature at fault.
 *
 * @example
 * featureSpecsFromJson([{ name: 'visits', kind: 'count', min: 0, integer: true, allow_missing: false }]);
 */
export function featureSpecsFromJson(list: readonly (string | FeatureSpecJson)[]): FeatureSpec[] {
  const specs = list.map((item, i): FeatureSpec => {
    const parsed = FeatureSpecJsonSchema.safeParse(typeof item === 'string' ? { name: item } : item);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new FeatureSchemaError(
        'FEATURE_SPEC_INVALID',
        `feature ${i}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`,
      );
    }
    const j = parsed.data;
    return {
      name: j.name,
      description: j.description,
      unit: j.unit,
      kind: j.kind,
      min: j.min ?? Number.NEGATIVE_INFINITY,
      max: j.max ?? Number.POSITIVE_INFINITY,
      integer: j.integer,
      allowMissing: j.allow_missing,
    };
  });
  checkSpecs(specs);
  return specs;
}

/**
 * The manifest form of specs: unbounded ends are left out, every other field written.
 *
 * @example
 * JSON.stringify(featureSpecsToJson(contract.features));
 */
export function featureSpecsToJson(specs: readonly FeatureSpec[]): FeatureSpecJson[] {
  return specs.map((s) => ({
    name: s.name,
    description: s.description,
    unit: s.unit,
    kind: s.kind,
    ...(Number.isFinite(s.min) ? { min: s.min } : {}),
    ...(Number.isFinite(s.max) ? { max: s.max } : {}),
    integer: s.integer,
    allow_missing: s.allowMissing,
  }));
}

/**
 * Checks a list of specs: at least one, names unique, non-empty, at most 128 characters, free of control
 * characters and not a reserved JSON key; bounds ordered and not NaN. Throws FEATURE_SPEC_INVALID.
 */
export function checkSpecs(specs: readonly FeatureSpec[]): void {
  const bad = (i: number, why: string): never => {
    throw new FeatureSchemaError('FEATURE_SPEC_INVALID', `feature ${i} (${JSON.stringify(specs[i]?.name)}): ${why}`);
  };
  if (specs.length === 0) throw new FeatureSchemaError('FEATURE_SPEC_INVALID', 'the feature list is empty');
  const seen = new Set<string>();
  specs.forEach((s, i) => {
    if (s.name.length === 0 || s.name.length > MAX_FEATURE_NAME_LENGTH)
      bad(i, `a name has 1 to ${MAX_FEATURE_NAME_LENGTH} characters`);
    if (CONTROL.test(s.name)) bad(i, 'a name may not hold control characters');
    if (RESERVED_NAMES.has(s.name)) bad(i, 'this name is reserved in JSON bodies');
    if (seen.has(s.name)) bad(i, 'the name appears twice');
    seen.add(s.name);
    if (Number.isNaN(s.min) || Number.isNaN(s.max) || s.min > s.max) bad(i, `the range ${s.min}..${s.max} is empty`);
  });
}
