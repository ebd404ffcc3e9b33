import { mapScore, type Manifest } from '@lead-scoring/model-bundle';
import type { LeadScore } from './scorer';

const PROBABILITY_OBJECTIVES: ReadonlySet<string> = new Set(['binary:logistic', 'reg:logistic']);

/**
 * Turns raw predictions (`nRows * width`, as XGBoost's predict gives them) into `LeadScore`s with the
 * manifest's score mapping: `probabilities` when a row has several values (multi:softprob), `probability` for
 * binary:logistic and reg:logistic, `prediction` otherwise: the same shape `InProcessScorer` gives.
 *
 * @example
 * toLeadScores({ manifest, objective: 'multi:softprob', predictions, nRows: 2, width: 5 })
 */
export function toLeadScores(opts: {
  manifest: Manifest;
  objective: string;
  predictions: ArrayLike<number>;
  nRows: number;
  width: number;
}): LeadScore[] {
  const { manifest, objective, predictions, nRows, width } = opts;
  const map = mapScore; // one lookup per batch, not per row (module re-exports are getters when transpiled to CJS)
  const results: LeadScore[] = new Array<LeadScore>(nRows);
  for (let r = 0; r < nRows; r++) {
    const offset = r * width;
    const score = map(manifest, predictions, offset, width);
    if (width > 1) {
      // A plain push loop: Array.from({ length }, fn) took ~40% of this function's time.
      const probabilities: number[] = [];
      for (let k = 0; k < width; k++) probabilities.push(predictions[offset + k] as number);
      results[r] = { score, probabilities };
    } else if (PROBABILITY_OBJECTIVES.has(objective)) {
      results[r] = { score, probability: predictions[offset] as number };
    } else {
      results[r] = { score, prediction: predictions[offset] as number };
    }
  }
  return results;
}
