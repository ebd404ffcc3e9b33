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
