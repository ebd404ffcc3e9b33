/** A lead score: 1 (coldest) to 5 (hottest). */
export type LeadScoreValue = 1 | 2 | 3 | 4 | 5;

/** One reason code: a feature's signed TreeSHAP contribution to the predicted score. */
export interface ReasonCode {
  feature: string;
  value: number | null;
  contribution: number;
}

/**
 * The scored outcome of one row. Multi-class models give `probabilities`, binary ones (and reg:logistic)
 * `probability`, other single-output objectives their raw `prediction`.
 */
export interface LeadScore {
  score: LeadScoreValue;
  probabilities?: number[];
  probability?: number;
  prediction?: number;
  reasons?: ReasonCode[];
}

/** A batch to score: row-major float32 features in manifest order, NaN = missing. */
export interface ScoreBatch {
  x: Float32Array;
  nRows: number;
  /** When > 0, attach the N strongest reason codes to each result. */
  explain?: number;
}

export interface ScoreBatchResult {
  results: LeadScore[];
  /** Wall time spent in the model (in-process evaluation or the endpoint round trip), ms. */
  modelMs: number;
  /**
   * Time spent computing reason codes (TreeSHAP and ranking), ms, when `explain` asked for them; in-process,
   * part of `modelMs`. Slices yielded to other requests between do not count.
   */
  explainMs?: number;
  /** True when the primary scorer failed and the fallback answered. */
  degraded: boolean;
}

/** Scores batches of leads; the in-process and SageMaker implementations return the same shape. */
export interface Scorer {
  readonly kind: 'inprocess' | 'sagemaker';
  readonly model: { readonly name: string; readonly version: string };
  score(batch: ScoreBatch): Promise<ScoreBatchResult>;
  close(): Promise<void>;
}
