import type { DriftBaseline } from './baseline';
import { binSlot, compileFeatureBins, psi, toProportions, type CompiledFeatureBins } from './psi';

/** Drift of one feature over the observed rows. `psi` is null when the baseline lacks the feature. */
export interface FeatureDrift {
  readonly name: string;
  readonly psi: number | null;
  readonly missingRate: number;
  /** Expected and actual proportions by slot (slot 0 = missing), empty without a baseline. */
  readonly expected: readonly number[];
  readonly actual: readonly number[];
  /** Bin cut points (interior), for charts. */
  readonly cuts: readonly number[];
}

/** Drift of all features and of the score distribution over `n` observed rows. */
export interface DriftSnapshot {
  readonly n: number;
  readonly features: readonly FeatureDrift[];
  readonly scorePsi: number | null;
  /** Largest feature PSI, null when no feature has a baseline or no rows were seen. */
  readonly maxPsi: number | null;
  readonly scores: { readonly expected: readonly number[]; readonly actual: readonly number[] };
}

/**
 * Bins rows into per-feature slot counts and scores into a 5-bin histogram, then computes PSI.
 * Shared by the live sliding window and the offline drift report, so both agree bin for bin.
 *
 * @example
 * const acc = new DriftAccumulator({ baseline, featureNames: bundle.contract.names });
 * acc.addRow(row, 0, 3); const snap = acc.snapshot();
 */
export class DriftAccumulator {
  private readonly names: readonly string[];
  private readonly bins: (CompiledFeatureBins | null)[];
  private readonly counts: Float64Array[];
  private readonly missing: Float64Array;
  private readonly scoreCounts = new Float64Array(5);
  private readonly scoreExpected: readonly number[] | null;
  private rows = 0;

  constructor(opts: { baseline: DriftBaseline | null; featureNames: readonly string[] }) {
    this.names = opts.featureNames;
    this.bins = opts.featureNames.map((name) => {
      const fb = opts.baseline?.features[name];
      return fb ? compileFeatureBins(fb) : null;
    });
    this.counts = this.bins.map((b) => new Float64Array(b ? b.expected.length : 0));
    this.missing = new Float64Array(opts.featureNames.length);
    this.scoreExpected = opts.baseline ? opts.baseline.scores.proportions : null;
  }

  get n(): number {
    return this.rows;
  }

  /** Adds one row read from `values[offset .. offset + features)` (NaN = missing) and its score 1..5 (0 = none). */
  addRow(values: ArrayLike<number>, offset: number, score: number): void {
    for (let f = 0; f < this.names.length; f++) this.addValue(f, values[offset + f]!);
    this.addScore(score);
    this.rows++;
  }

  /** Adds one feature value (column-wise ingestion for the Parquet reader); call `countRows` after. */
  addValue(feature: number, v: number | null): void {
    const b = this.bins[feature];
    const missing = v === null || v !== v;
    if (missing) this.missing[feature]!++;
    if (b) this.counts[feature]![missing ? 0 : binSlot(b.cuts, v)]!++;
  }

  addScore(score: number): void {
    if (score >= 1 && score <= 5) this.scoreCounts[score - 1]!++;
  }

  /** Declares rows added column-wise through `addValue`/`addScore`. */
  countRows(n: number): void {
    this.rows += n;
  }

  reset(): void {
    for (const c of this.counts) c.fill(0);
    this.missing.fill(0);
    this.scoreCounts.fill(0);
    this.rows = 0;
  }

  snapshot(): DriftSnapshot {
    const n = this.rows;
    let maxPsi: number | null = null;
    const features = this.names.map((name, f): FeatureDrift => {
      const b = this.bins[f];
      const missingRate = n > 0 ? this.missing[f]! / n : 0;
      if (!b || n === 0) return { name, psi: null, missingRate, expected: [], actual: [], cuts: b ? [...b.cuts] : [] };
      const actual = toProportions(this.counts[f]!);
      const value = psi(b.expected, actual);
      if (maxPsi === null || value > maxPsi) maxPsi = value;
      return { name, psi: value, missingRate, expected: [...b.expected], actual: [...actual], cuts: [...b.cuts] };
    });
    const actualScores = [...toProportions(this.scoreCounts)];
    const scorePsi = this.scoreExpected && n > 0 ? psi(this.scoreExpected, actualScores) : null;
    return { n, features, scorePsi, maxPsi, scores: { expected: this.scoreExpected ?? [], actual: actualScores } };
  }
}
