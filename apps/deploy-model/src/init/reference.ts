import type { Model } from '@lead-scoring/xgboost-evaluator';
import { shortestFloat32 } from './numeric';
import type { SampleTable } from './sample-table';

/** Reference rows written to the manifest. */
export const REFERENCE_ROWS = 20;
const PER_SCORE = 3;

/**
 * Sample rows for the manifest's reference, as train_demo.py's pick_reference: the first 3 rows of each score
 * 1..5, then the rows with the most missing values (ties in sample order), at most `n`, in sample order.
 *
 * @example pickReferenceRows(sample, scores) // [0, 1, 2, 5, 17, ...]
 */
export function pickReferenceRows(sample: SampleTable, scores: Uint8Array, n = REFERENCE_ROWS): number[] {
  const picked: number[] = [];
  for (let score = 1; score <= 5; score++) {
    let taken = 0;
    for (let r = 0; r < scores.length && taken < PER_SCORE; r++) {
      if (scores[r] === score) {
        picked.push(r);
        taken++;
      }
    }
  }
  const missing = new Uint32Array(sample.rows);
  for (const column of sample.columns) column.forEach((v, r) => (missing[r]! += Number.isNaN(v) ? 1 : 0));
  const byMissing = Array.from({ length: sample.rows }, (_, r) => r).sort((a, b) => missing[b]! - missing[a]! || a - b);
  const chosen = new Set(picked);
  for (const r of byMissing) {
    if (chosen.size >= n) break;
    chosen.add(r);
  }
  return [...chosen].slice(0, n).sort((a, b) => a - b);
}

/**
 * The manifest's `reference`: the picked rows (values as the shortest float32 decimal, null = missing) and
 * the evaluator's predictions on exactly those values, one array per row.
 *
 * @example buildReference(model, sample, [0, 3]) // { rows: [[1, null, ...], ...], predictions: [[0.21], [0.74]] }
 */
export function buildReference(
  model: Model,
  sample: SampleTable,
  picked: readonly number[],
): { rows: (number | null)[][]; predictions: number[][] } {
  const rows = picked.map((r) => sample.columns.map((c) => (Number.isNaN(c[r]!) ? null : shortestFloat32(c[r]!))));
  const output = model.predict(rows, 'prediction') as (number | number[])[];
  return { rows, predictions: output.map((p) => (Array.isArray(p) ? p : [p])) };
}
