// Tolerant comparison of nested prediction arrays that names every mismatch (row, index,
// expected, got), so a failing parity test says exactly where the evaluator differs.

export type Nested = number | readonly Nested[];

export interface Tolerance {
  /** Allowed |got - expected| / |expected|. */
  relative: number;
  /** Allowed |got - expected| regardless of magnitude. */
  absolute: number;
}

/** Predictions: 1e-6 relative, or 1e-5 absolute where float32 accumulation order differs. */
export const PREDICTION_TOLERANCE: Tolerance = { relative: 1e-6, absolute: 1e-5 };
/** TreeSHAP contributions: 1e-4 absolute. */
export const CONTRIBS_TOLERANCE: Tolerance = { relative: 0, absolute: 1e-4 };

/** The array shape, e.g. [20, 5] for 20 rows of 5 class probabilities; [] for a scalar. */
export function shapeOf(value: unknown): number[] {
  const shape: number[] = [];
  let cursor: unknown = value;
  while (Array.isArray(cursor)) {
    shape.push(cursor.length);
    cursor = cursor[0];
  }
  return shape;
}

export function flatten(value: Nested): number[] {
  return Array.isArray(value) ? (value as readonly Nested[]).flatMap((v) => flatten(v)) : [value as number];
}

export function withinTolerance(got: number, expected: number, tol: Tolerance): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(got);
  if (!Number.isFinite(expected)) return got === expected;
  const diff = Math.abs(got - expected);
  return diff <= tol.absolute || diff <= tol.relative * Math.abs(expected);
}

/** Human-readable list of the places where `got` differs from `expected` (at most `limit`). */
export function mismatches(got: unknown, expected: Nested, tol: Tolerance, limit = 10): string[] {
  const out: string[] = [];
  const walk = (g: unknown, e: Nested, path: string): void => {
    if (out.length >= limit) return;
    if (Array.isArray(e)) {
      if (!Array.isArray(g) || g.length !== e.length) {
        out.push(`${path || 'root'}: expected an array of ${e.length}, got ${describe(g)}`);
        return;
      }
      e.forEach((item, i) => walk(g[i], item, `${path}[${i}]`));
      return;
    }
    if (typeof g !== 'number' || !withinTolerance(g, e as number, tol)) {
      out.push(`row${path}: expected ${String(e)}, got ${describe(g)}`);
    }
  };
  walk(got, expected, '');
  return out;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return typeof value === 'number' ? String(value) : typeof value;
}
