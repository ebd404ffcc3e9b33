import { DeployError } from '../errors';
import { slug } from '../plan/names';
import { parseDecimal } from './numeric';

/** Longest model name: with an environment prefix and the version it still fits SageMaker's 63 characters. */
export const MAX_MODEL_NAME = 48;
const NUMERIC = /^\d+$/;
const IDENTIFIERS = /^[0-9A-Za-z.-]+$/;

/**
 * Whether `version` is semver 2.0: no leading zeros in numbers, non-empty dot-separated identifiers.
 *
 * @example isSemver('1.0.0-rc.1+build.5') // true
 */
export function isSemver(version: string): boolean {
  // Split by hand rather than one regular expression: x.y.z, then an optional -pre-release, then an optional +build.
  const plus = version.indexOf('+');
  const build = plus >= 0 ? version.slice(plus + 1) : undefined;
  const main = plus >= 0 ? version.slice(0, plus) : version;
  const dash = main.indexOf('-');
  const pre = dash >= 0 ? main.slice(dash + 1) : undefined;
  const core = (dash >= 0 ? main.slice(0, dash) : main).split('.');
  const noLeadingZero = (n: string): boolean => n === '0' || !n.startsWith('0');
  if (core.length !== 3 || !core.every((n) => NUMERIC.test(n) && noLeadingZero(n))) return false;
  const ids = (part: string | undefined): string[] | undefined =>
    part === undefined ? [] : IDENTIFIERS.test(part) ? part.split('.') : undefined;
  const preIds = ids(pre);
  const buildIds = ids(build);
  if (!preIds || !buildIds || [...preIds, ...buildIds].some((id) => id === '')) return false;
  return preIds.every((id) => !NUMERIC.test(id) || noLeadingZero(id));
}

/**
 * Checks `--name`: lower-case letters, digits and single inner hyphens (what names.ts's slug keeps, so SageMaker
 * and S3 names carry it unchanged), at most 48 characters.
 *
 * @example checkModelName('fit-12') // 'fit-12'
 */
export function checkModelName(name: string): string {
  if (name.length === 0 || name.length > MAX_MODEL_NAME || slug(name) !== name) {
    throw new DeployError('USAGE', `--name "${name}" is not a valid model name`, {
      hint: `use 1 to ${MAX_MODEL_NAME} lower-case letters, digits and single hyphens, e.g. "${slug(name).slice(0, MAX_MODEL_NAME) || 'lead-score'}"`,
    });
  }
  return name;
}

/**
 * Checks `--version` is semver (x.y.z, optional -pre-release and +build).
 *
 * @example checkVersion('1.2.0-rc.1') // '1.2.0-rc.1'
 */
export function checkVersion(version: string): string {
  if (!isSemver(version))
    throw new DeployError('USAGE', `--version "${version}" is not semver`, {
      hint: 'use x.y.z, e.g. 1.0.0 or 1.1.0-rc.1',
    });
  return version;
}

/**
 * Parses `--thresholds a,b,c,d`: four finite numbers in ascending order (equal neighbours allowed).
 *
 * @example parseThresholds('0.2,0.4,0.6,0.8') // [0.2, 0.4, 0.6, 0.8]
 */
export function parseThresholds(text: string): number[] {
  const parts = text.split(',').map((p) => p.trim());
  const values = parts.map((p) => parseDecimal(p) ?? Number.NaN);
  const ok = values.length === 4 && values.every((v, i) => Number.isFinite(v) && (i === 0 || v >= values[i - 1]!));
  if (!ok)
    throw new DeployError('USAGE', `--thresholds "${text}" must be 4 numbers in ascending order, e.g. 0.2,0.4,0.6,0.8`);
  return values;
}

/**
 * The manifest's `created_at`: SOURCE_DATE_EPOCH (seconds) when given, for reproducible bundles, else now;
 * whole seconds, UTC.
 *
 * @example createdAt('1767225600') // '2026-01-01T00:00:00Z'
 */
export function createdAt(sourceDateEpoch: number | undefined, now: () => Date = () => new Date()): string {
  const date = sourceDateEpoch === undefined ? now() : new Date(sourceDateEpoch * 1000);
  return `${date.toISOString().slice(0, 19)}Z`;
}
