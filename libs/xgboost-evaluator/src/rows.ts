import { EvaluatorError, EvaluatorErrorCode } from './errors';
import type { Row } from './types';

/**
 * Packs plain rows into the row-major Float32Array the batch API takes (`null` → NaN).
 *
 * @example rowsToFloat32([[1, null, 3]], 3) // Float32Array [1, NaN, 3]
 */
export function rowsToFloat32(rows: readonly Row[], numFeatures: number): Float32Array {
  const x = new Float32Array(rows.length * numFeatures);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    if (!Array.isArray(row) || row.length !== numFeatures) {
      const got = Array.isArray(row) ? `${row.length} values` : typeof row;
      throw new EvaluatorError(EvaluatorErrorCode.INPUT_SHAPE, `row ${r}: expected ${numFeatures} values, got ${got}`);
    }
    for (let f = 0; f < numFeatures; f++) {
      const v = row[f];
      if (v === null || v === undefined) {
        x[r * numFeatures + f] = NaN;
      } else if (typeof v === 'number') {
        x[r * numFeatures + f] = v;
      } else {
        throw new EvaluatorError(
          EvaluatorErrorCode.INPUT_SHAPE,
          `row ${r}, feature ${f}: expected a number or null, got ${typeof v}`,
        );
      }
    }
  }
  return x;
}
