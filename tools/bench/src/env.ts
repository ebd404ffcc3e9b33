/** Bench settings from the environment: a bad value exits 2 with a message, never runs a bench on NaN. */

/** Prints `bench: <message>` on stderr and exits 2. */
export function fail(message: string): never {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}

/** A positive whole number from `name`, or `dflt` when unset. */
export function envCount(name: string, dflt: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return dflt;
  if (!/^[1-9]\d*$/.test(raw)) fail(`${name} must be a positive whole number (got "${raw}")`);
  return Number(raw);
}

/** `name` as 0 or 1 (unset: false). */
export function envFlag(name: string): boolean {
  const raw = process.env[name];
  if (raw !== undefined && raw !== '' && raw !== '0' && raw !== '1') fail(`${name} must be 0 or 1 (got "${raw}")`);
  return raw === '1';
}

/** A comma-separated list of positive whole numbers from `name`, or `dflt` when unset. */
export function envCounts(name: string, dflt: readonly number[]): number[] {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return [...dflt];
  const parts = raw.split(',');
  if (!parts.every((p) => /^[1-9]\d*$/.test(p)))
    fail(`${name} must be positive whole numbers separated by commas (got "${raw}")`);
  return parts.map(Number);
}

/** `KEY=value,KEY=value` from `name` as an environment object (empty when unset). */
export function envAssignments(name: string): Record<string, string> {
  const raw = process.env[name] ?? '';
  const out: Record<string, string> = {};
  for (const kv of raw.split(',').filter(Boolean)) {
    const at = kv.indexOf('=');
    if (at <= 0) fail(`${name} must be KEY=value pairs separated by commas (got "${raw}")`);
    out[kv.slice(0, at)] = kv.slice(at + 1);
  }
  return out;
}
