import type { ScoreMapping } from './manifest';

/** A lead score: 1 (coldest) .. 5 (hottest). */
export type ScoreValue = 1 | 2 | 3 | 4 | 5;

const clampScore = (s: number): ScoreValue => (s >= 5 ? 5 : s >= 1 ? (Math.floor(s) as ScoreValue) : 1);

/**
 * Maps one row's prediction to a 1..5 score with the manifest's `score_mapping`.
 * `prediction[offset .. offset + width)` is the row's output of `Model.predictBatch`:
 * - `class_plus_one` / `class_scores`: the predicted class (argmax of the `width` probabilities of multi:softprob,
 *   ties to the lower class as numpy's argmax; the class index itself when `width` is 1, multi:softmax), then
 *   class + 1 or `scores[class]`.
 * - `thresholds` / `probability_cutpoints`: 1 + the number of thresholds `<=` the prediction.
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
  if (mapping.type === 'probability_cutpoints' || mapping.type === 'thresholds') {
    const p = prediction[offset] ?? Number.NaN;
    let score = 1;
    for (const c of mapping.type === 'thresholds' ? mapping.thresholds : mapping.cutpoints) if (c <= p) score++;
    return clampScore(score);
  }
  const cls = predictedClass(prediction, offset, width);
  return mapping.type === 'class_scores' ? clampScore(mapping.scores[cls] ?? Number.NaN) : clampScore(cls + 1);
}

/**
 * The predicted class of one row: argmax of its `width` probabilities (ties to the lower class), or the class
 * index itself when `width` is 1 (multi:softmax).
 *
 * @example
 * predictedClass([0.1, 0.7, 0.2], 0, 3); // 1
 */
export function predictedClass(prediction: ArrayLike<number>, offset: number, width: number): number {
  if (width === 1) return prediction[offset] ?? Number.NaN;
  let best = 0;
  let bestValue = prediction[offset] ?? Number.NaN;
  for (let k = 1; k < width; k++) {
    const v = prediction[offset + k] ?? Number.NaN;
    if (v > bestValue) {
      best = k;
      bestValue = v;
    }
  }
  return best;
}
