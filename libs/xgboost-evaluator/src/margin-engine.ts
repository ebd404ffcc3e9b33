/** Computes raw margins of `nRows` rows of `x` into `out` (`nRows * numGroups`). */
export interface MarginEngine {
  run(x: Float32Array, nRows: number, out: Float64Array): void;
}

/**
 * Expands rows [start, start+count) of `x` into the 2F-slot layout the kernels walk (see Forest):
 * slots [0, F) hold NaN as -Infinity (goes left), slots [F, 2F) hold NaN as +Infinity (goes right).
 */
export function expandRows(x: Float32Array, start: number, count: number, F: number, rows: Float64Array): void {
  const S = 2 * F;
  for (let r = 0; r < count; r++) {
    const src = (start + r) * F;
    const dst = r * S;
    for (let f = 0; f < F; f++) {
      const v = x[src + f]!;
      if (v !== v) {
        rows[dst + f] = -Infinity;
        rows[dst + F + f] = Infinity;
      } else {
        rows[dst + f] = v;
        rows[dst + F + f] = v;
      }
    }
  }
}
