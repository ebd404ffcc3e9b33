import { LoadTestError } from './errors';

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION = /^(\d+|\d*\.\d+)(ms|s|m|h)?$/;

/**
 * Parses a duration such as `30s`, `500ms`, `2m`, `1.5h` into milliseconds; a bare number means seconds.
 *
 * @example
 * parseDuration('1.5s', '--duration'); // 1500
 */
export function parseDuration(text: string, flag: string): number {
  const match = DURATION.exec(text.trim());
  const value = match?.[1];
  if (match === null || value === undefined) {
    throw new LoadTestError('INVALID_DURATION', `${flag}: "${text}" is not a duration (use e.g. 30s, 500ms, 2m)`);
  }
  return Number(value) * (UNIT_MS[match[2] ?? 's'] ?? 1000);
}

/** Formats milliseconds for people: `850ms`, `12.5s`, `3m20s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(1))}s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes}m${Math.round((ms % 60_000) / 1000)}s`;
}
