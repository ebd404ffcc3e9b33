import type { ScoreMapping } from './manifest';

/** A lead score: 1 (coldest) .. 5 (hottest). */
export type ScoreValue = 1 | 2 | 3 | 4 | 5;

const clampScore = (s: number): ScoreValue => (s >= 5 ? 5 : s >= 1 ? (Math.floor(s) as ScoreValue) : 1);

/**
 * Maps one row's prediction to a 1..5 score with the manifest's `score_mapping`.
 * `prediction[offset .. offset + width)` is the row's output of `Model.predictBatch`:
 * - `class_plus_one`: argmax of the `width` probabilities + 1 (multi:softprob), or the class index + 1 when
 *   `width` is 1 (multi:softmax). Ties go to the lower class, as numpy's argmax does.
 * - `probability_cutpoints`: 1 + the number of cutpoints `<=` the probability (binary models).
 *
 * @example
 * mapScore({ score_mapping: { type: 'class_plus_one' } }, [0.1, 0.2, 0.6, 0.05, 0.05], 0, 5); // 3
 */
export function mapScore(
  manifest: { readonly score_mapping: ScoreMapping },
  prediction: ArrayLike<number>,
  offset: number,
  width: number,
): ScoreValue {
  const mapping = manifest.score_mapping;
  if (mapping.type === 'probability_cutpoints') {
    const p = prediction[offset] ?? Number.NaN;
    let score = 1;
    for (const c of mapping.cutpoints) if (c <= p) score++;
    return clampScore(score);
  }
  if (width === 1) return clampScore((prediction[offset] ?? Number.NaN) + 1);
  let best = 0;
  let bestValue = prediction[offset] ?? Number.NaN;
  for (let k = 1; k < width; k++) {
    const v = prediction[offset + k] ?? Number.NaN;
    if (v > bestValue) {
      best = k;
      bestValue = v;
    }
  }
  return clampScore(best + 1);
}
