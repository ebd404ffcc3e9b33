import type { FeatureSpec } from './features';

/**
 * Says what is wrong with one feature value, or `undefined` when it is valid.
 * The same rules as the zod schemas, without allocation, for request fast paths.
 *
 * @example
 * featureValueProblem(FEATURES[0], -3); // 'must be between 1 and 500000'
 */
export function featureValueProblem(spec: FeatureSpec, value: unknown): string | undefined {
  if (value === null) return spec.allowMissing ? undefined : 'must not be missing (null)';
  if (typeof value !== 'number') return `must be a number${spec.allowMissing ? ' or null' : ''}, got ${describe(value)}`;
  if (!Number.isFinite(value)) return 'must be a finite number';
  if (value < spec.min || value > spec.max) return `must be between ${spec.min} and ${spec.max}`;
  if (spec.integer && !Number.isInteger(value)) return 'must be a whole number';
  return undefined;
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
