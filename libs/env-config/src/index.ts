import { z } from 'zod';

/**
 * An environment variable holding a whole number in [min, max]: the text is checked as digits first, so
 * `1e3`, `0x10`, ` 5` and `2.0` are refused rather than coerced.
 * @example const Env = z.object({ PORT: envInt(0, 65_535).optional() });
 */
export function envInt(min: number, max: number) {
  return z.string().regex(/^\d+$/, 'must be a whole number').transform(Number).pipe(z.number().int().min(min).max(max));
}
