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

/**
 * The base margins tiled for `rows` rows (`rows * numGroups` float32 values): a kernel starts a
 * block of rows, each group from its own base margin, by copying a prefix (no per-row allocation).
 *
 * @example const base = tileBaseMargins([0.2, -0.1], 64); for (let i = 0; i < count * 2; i++) acc[i] = base[i]!;
 */
export function tileBaseMargins(baseMargins: ArrayLike<number>, rows: number): Float32Array {
  const G = baseMargins.length;
  const tiled = new Float32Array(rows * G);
  for (let r = 0; r < rows; r++) for (let g = 0; g < G; g++) tiled[r * G + g] = baseMargins[g]!;
  return tiled;
}
