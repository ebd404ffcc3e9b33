import type { ScoredResult } from './scored-event';

/** A feature's drift as the metrics export it. */
export interface FeatureDriftView {
  readonly name: string;
  /** PSI against the training baseline; null without a baseline for the feature. */
  readonly psi: number | null;
  readonly missingRate: number;
}

/**
 * What the metrics read from a drift window (the drift lib's `DriftMonitor` is one): fed on the request path,
 * read at scrape or publish time.
 */
export interface DriftSource {
  /** Rows currently in the window. */
  readonly windowRows: number;
  observe(x: Float32Array, nRows: number, results: readonly ScoredResult[]): void;
  /** Per-feature PSI and missing rates, or null until the window holds enough rows. */
  snapshot(): {
    readonly features: readonly FeatureDriftView[];
    readonly maxPsi: number | null;
    readonly scorePsi: number | null;
  } | null;
}
