import type { FeatureSpec } from './feature-spec';

/** Why a well-typed value is still outside what the feature publishes: flagged by default, an error when strict. */
export type RangeProblemCode = 'OUT_OF_RANGE' | 'NOT_WHOLE_NUMBER';

/**
 * Says what is wrong with the type of one feature value, or `undefined` when it is a finite number
 * (or `null` where missing is allowed). Such problems make the lead invalid under every policy.
 *
 * @example
 * valueTypeProblem(spec, '3'); // 'must be a number, got a string'
 */
export function valueTypeProblem(spec: FeatureSpec, value: unknown): string | undefined {
  if (value === null) return spec.allowMissing ? undefined : 'must not be missing (null)';
  if (typeof value !== 'number')
    return `must be a number${spec.allowMissing ? ' or null' : ''}, got ${describe(value)}`;
  if (!Number.isFinite(value)) return 'must be a finite number';
  return undefined;
}

/**
 * Says how a finite number breaks the feature's published range or whole-number rule, or `undefined`.
 *
 * @example
 * valueRangeProblem({ ...spec, min: 1, max: 4 }, 0); // { code: 'OUT_OF_RANGE', problem: 'must be between 1 and 4' }
 */
export function valueRangeProblem(
  spec: FeatureSpec,
  value: number,
): { code: RangeProblemCode; problem: string } | undefined {
  if (value < spec.min || value > spec.max) return { code: 'OUT_OF_RANGE', problem: rangeText(spec) };
  if (spec.integer && !Number.isSafeInteger(value))
    return { code: 'NOT_WHOLE_NUMBER', problem: 'must be a whole number' };
  return undefined;
}

/**
 * Every problem of one value under the strict policy (type, range, whole number), or `undefined` when valid.
 *
 * @example
 * featureValueProblem({ ...spec, min: 1, max: 500000 }, -3); // 'must be between 1 and 500000'
 */
export function featureValueProblem(spec: FeatureSpec, value: unknown): string | undefined {
  return (
    valueTypeProblem(spec, value) ?? (typeof value === 'number' ? valueRangeProblem(spec, value)?.problem : undefined)
  );
}

function rangeText(spec: FeatureSpec): string {
  if (Number.isFinite(spec.min) && Number.isFinite(spec.max)) return `must be between ${spec.min} and ${spec.max}`;
  return Number.isFinite(spec.min) ? `must be at least ${spec.min}` : `must be at most ${spec.max}`;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Longest accepted `lead_id`, in UTF-16 code units (JavaScript string length). */
export const MAX_LEAD_ID_LENGTH = 128;

// With the `u` flag a well-formed surrogate pair is one code point, so only a lone half matches.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * True when `s` holds a lone UTF-16 surrogate (e.g. from the JSON escape `"\ud800"`): such a string has
 * no UTF-8 form, so the lake would store U+FFFD instead and the id would come back altered.
 *
 * @example
 * hasLoneSurrogate('x\ud800y'); // true
 * hasLoneSurrogate('lead-😀'); // false
 */
export function hasLoneSurrogate(s: string): boolean {
  return LONE_SURROGATE.test(s);
}

/**
 * What is wrong with a `lead_id`, or `undefined` when it is absent or valid: 1 to 128 UTF-16 units of
 * well-formed Unicode.
 */
export function leadIdProblem(id: unknown): string | undefined {
  if (id === undefined) return undefined;
  if (typeof id !== 'string' || id.length < 1 || id.length > MAX_LEAD_ID_LENGTH) {
    return `"lead_id" must be a string of 1 to ${MAX_LEAD_ID_LENGTH} characters, got ${id === null ? 'null' : describe(id)}`;
  }
  return hasLoneSurrogate(id) ? '"lead_id" must be well-formed Unicode, got a lone surrogate' : undefined;
}
