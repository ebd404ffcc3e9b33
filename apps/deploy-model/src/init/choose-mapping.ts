import { mapScore, type ScoreMapping } from '@lead-scoring/model-bundle';
import type { Model } from '@lead-scoring/xgboost-evaluator';
import { DeployError } from '../errors';
import { linearQuantile } from './numeric';

const QUINTILES = [0.2, 0.4, 0.6, 0.8] as const;

/**
 * Thresholds at the quintiles of single-output predictions, so the five scores are equally frequent on the
 * sample. Ties (many equal predictions) are kept: the schema allows non-decreasing thresholds.
 *
 * @example quintileThresholds(Float64Array.of(0.1, 0.2, 0.3, 0.4, 0.5, 0.6)) // [0.2, 0.3, 0.4, 0.5]
 */
export function quintileThresholds(predictions: Float64Array): number[] {
  const sorted = Float64Array.from(predictions).sort();
  return QUINTILES.map((q) => linearQuantile(sorted, q));
}

/**
 * Class k of K spread evenly over 1..5: class 0 is 1, class K-1 is 5.
 *
 * @example classScores(3) // [1, 3, 5]
 */
export function classScores(numClass: number): number[] {
  return Array.from({ length: numClass }, (_, k) => 1 + Math.round((4 * k) / (numClass - 1)));
}

/**
 * The score mapping of a model: `class_plus_one` for 5 classes, `class_scores` for another class count,
 * else `thresholds` (the given ones, or the quintiles of the sample predictions).
 *
 * @example chooseScoreMapping(model, predictions, undefined) // { type: 'thresholds', thresholds: [...] }
 */
export function chooseScoreMapping(
  model: Model,
  predictions: Float64Array,
  thresholds: readonly number[] | undefined,
): ScoreMapping {
  const multi = model.objective.startsWith('multi:');
  if (thresholds) {
    if (model.objective === 'multi:softprob') {
      throw new DeployError(
        'USAGE',
        '--thresholds needs a single-output model; multi:softprob gives one probability per class (its score is the predicted class)',
      );
    }
    return { type: 'thresholds', thresholds: [...thresholds] };
  }
  if (multi && model.numClass === 5) return { type: 'class_plus_one' };
  if (multi) {
    if (model.numClass < 2)
      throw new DeployError(
        'MODEL_INVALID',
        `a ${model.objective} model with ${model.numClass} class cannot be mapped to scores`,
      );
    return { type: 'class_scores', scores: classScores(model.numClass) };
  }
  return { type: 'thresholds', thresholds: quintileThresholds(predictions) };
}

/**
 * The 1..5 score of every sample row under `mapping`.
 *
 * @example scoresOf({ score_mapping: mapping }, predictions, 1) // Uint8Array [3, 1, 5, ...]
 */
export function scoresOf(
  manifest: { readonly score_mapping: ScoreMapping },
  predictions: Float64Array,
  width: number,
): Uint8Array {
  const rows = predictions.length / width;
  const scores = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) scores[r] = mapScore(manifest, predictions, r * width, width);
  return scores;
}
