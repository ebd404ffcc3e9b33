import { probabilityDistance } from '@lead-scoring/metrics';
import type { ShadowLakeRow } from './read-shadow-lake';

/** Bins of the probability-difference distribution: 20 of width 0.05 over 0..1. */
export const DIFF_BINS = 20;

/** What the report says about production and shadow on the same leads. */
export interface ShadowStats {
  /** Leads read, and those of them a shadow model scored (the rest are left out of everything below). */
  readonly leads: number;
  readonly shadowed: number;
  /** `matrix[p - 1][s - 1]`: leads scored p by production and s by the shadow model. */
  readonly matrix: number[][];
  /** Leads whose score is the same, moved by exactly 1, by 2 or more; and how many moved up / down. */
  readonly moved: {
    readonly same: number;
    readonly one: number;
    readonly twoOrMore: number;
    readonly up: number;
    readonly down: number;
  };
  /** The per-lead probability distance (see probabilityDistance): its mean, median, 95th percentile and maximum. */
  readonly diff: {
    readonly compared: number;
    readonly mean: number;
    readonly median: number;
    readonly p95: number;
    readonly max: number;
    readonly bins: number[];
  };
  readonly productionVersions: readonly string[];
  readonly shadowVersions: readonly string[];
  readonly from: number | null;
  readonly to: number | null;
}

/**
 * Compares production and shadow over the lake rows a shadow model scored.
 *
 * @example
 * const stats = shadowStats(rows); stats.matrix[2][3]; // leads production scored 3 and the shadow 4
 */
export function shadowStats(rows: readonly ShadowLakeRow[]): ShadowStats {
  const matrix = Array.from({ length: 5 }, () => [0, 0, 0, 0, 0]);
  const moved = { same: 0, one: 0, twoOrMore: 0, up: 0, down: 0 };
  const diffs: number[] = [];
  const bins = new Array<number>(DIFF_BINS).fill(0);
  const prod = new Set<string>();
  const shadow = new Set<string>();
  let shadowed = 0;
  let from = Infinity;
  let to = -Infinity;
  for (const r of rows) {
    if (r.shadowScore === null) continue;
    shadowed++;
    from = Math.min(from, r.ts);
    to = Math.max(to, r.ts);
    prod.add(r.modelVersion);
    if (r.shadowVersion !== null) shadow.add(r.shadowVersion);
    if (r.score >= 1 && r.score <= 5 && r.shadowScore >= 1 && r.shadowScore <= 5)
      matrix[r.score - 1]![r.shadowScore - 1]!++;
    const delta = r.shadowScore - r.score;
    if (delta === 0) moved.same++;
    else if (Math.abs(delta) === 1) moved.one++;
    else moved.twoOrMore++;
    if (delta > 0) moved.up++;
    if (delta < 0) moved.down++;
    const d = probabilityDistance(
      resultOf(r.score, r.probabilities, r.probability),
      resultOf(r.shadowScore, r.shadowProbabilities, r.shadowProbability),
    );
    if (d !== null) {
      diffs.push(d);
      bins[Math.min(DIFF_BINS - 1, Math.floor(d * DIFF_BINS))]!++;
    }
  }
  diffs.sort((a, b) => a - b);
  const at = (q: number): number =>
    diffs.length === 0 ? 0 : diffs[Math.min(diffs.length - 1, Math.floor(q * diffs.length))]!;
  return {
    leads: rows.length,
    shadowed,
    matrix,
    moved,
    diff: {
      compared: diffs.length,
      mean: diffs.reduce((s, d) => s + d, 0) / Math.max(1, diffs.length),
      median: at(0.5),
      p95: at(0.95),
      max: diffs.at(-1) ?? 0,
      bins,
    },
    productionVersions: [...prod].sort(),
    shadowVersions: [...shadow].sort(),
    from: shadowed > 0 ? from : null,
    to: shadowed > 0 ? to : null,
  };
}

function resultOf(
  score: number,
  probabilities: readonly number[] | null,
  probability: number | null,
): { score: number; probabilities?: readonly number[]; probability?: number } {
  return { score, ...(probabilities ? { probabilities } : {}), ...(probability === null ? {} : { probability }) };
}
