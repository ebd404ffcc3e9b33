import type { ScoredResult } from './scored-event';

/**
 * How far apart two results' probabilities are: the total variation distance, half the sum of the absolute
 * differences of the class probabilities, in 0..1. For a binary model (one probability p, i.e. classes 1-p and p)
 * it is |p - q|. Null when the two results do not carry probabilities of the same shape.
 *
 * @example
 * probabilityDistance({ score: 4, probability: 0.7 }, { score: 3, probability: 0.55 }); // 0.15 (to float error)
 */
export function probabilityDistance(a: ScoredResult, b: ScoredResult): number | null {
  if (a.probability !== undefined && b.probability !== undefined) return Math.abs(a.probability - b.probability);
  const p = a.probabilities;
  const q = b.probabilities;
  if (p === undefined || q === undefined || p.length !== q.length || p.length === 0) return null;
  let sum = 0;
  for (let i = 0; i < p.length; i++) sum += Math.abs(p[i]! - q[i]!);
  return sum / 2;
}
