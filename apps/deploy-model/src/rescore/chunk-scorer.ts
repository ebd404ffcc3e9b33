import { mapScore, type ModelBundle } from '@lead-scoring/model-bundle';
import { InProcessScorer, type ReasonCode } from '@lead-scoring/scoring-client';

/** The scores of one chunk's valid rows. Buffers are reused by the next call: encode before scoring again. */
export interface ScoredRows {
  readonly n: number;
  readonly scores: Uint8Array;
  /** `n × width` values, as `predictBatch` gives them. */
  readonly predictions: Float64Array;
  readonly width: number;
  /** Per row, its reason codes (`--explain`), or null. */
  readonly reasons: readonly (readonly ReasonCode[])[] | null;
}

/**
 * Scores row-major float32 rows with a bundle's model. Without reason codes: one `predictBatch` into a reused
 * buffer and the manifest's score mapping, no object per row. With them: the API's own `InProcessScorer`, so the
 * group explained (the predicted class) and the N strongest features are chosen exactly as `?explain=N` does.
 *
 * @example new ChunkScorer(bundle, 0).score(x, nRows).scores[0] // 1..5
 */
export class ChunkScorer {
  private predictions = new Float64Array(0);
  private scores = new Uint8Array(0);
  private readonly scorer: InProcessScorer | null;

  constructor(
    private readonly bundle: ModelBundle,
    private readonly explain: number,
  ) {
    this.scorer = explain > 0 ? new InProcessScorer(bundle) : null;
  }

  score(x: Float32Array, n: number): ScoredRows {
    const { model, manifest } = this.bundle;
    const width = model.predictionWidth;
    if (this.predictions.length < n * width) this.predictions = new Float64Array(n * width);
    if (this.scores.length < n) this.scores = new Uint8Array(n);
    if (this.scorer === null) {
      const predictions = model.predictBatch(x, n, this.predictions);
      for (let r = 0; r < n; r++) this.scores[r] = mapScore(manifest, predictions, r * width, width);
      return { n, scores: this.scores, predictions, width, reasons: null };
    }
    const { results } = this.scorer.scoreSync({ x, nRows: n, explain: this.explain });
    const reasons: ReasonCode[][] = new Array<ReasonCode[]>(n);
    for (let r = 0; r < n; r++) {
      const result = results[r]!;
      this.scores[r] = result.score;
      reasons[r] = result.reasons ?? [];
      if (result.probabilities)
        for (let k = 0; k < width; k++) this.predictions[r * width + k] = result.probabilities[k]!;
      else this.predictions[r * width] = result.probability ?? result.prediction ?? Number.NaN;
    }
    return { n, scores: this.scores, predictions: this.predictions, width, reasons };
  }
}
