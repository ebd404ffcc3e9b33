import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { predictedClass, type ModelBundle } from '@lead-scoring/model-bundle';
import { toLeadScores } from './lead-scores';
import { reasonCodes, strongestFeatures } from './reason-codes';
import type { LeadScore, ScoreBatch, ScoreBatchResult, Scorer } from './scorer';

/** Options of {@link InProcessScorer}. */
export interface InProcessScorerOptions {
  /**
   * The longest stretch `score` explains before yielding the event loop, ms (default 1): reason codes for
   * 1,000 leads come in slices, and other requests are served between them.
   */
  explainSliceMs?: number;
}

/** Rows of the first slice, before this scorer has measured its model's explain rate. */
const FIRST_SLICE_ROWS = 8;
const MAX_SLICE_ROWS = 4096;

/**
 * Scores in this process with the bundle's model (the XGBoost-exact evaluator). `scoreSync` is the
 * hot path: one `predictBatch` over the whole batch into a reused buffer, then one small object per row.
 * Reason codes (`explain`) come from TreeSHAP of the predicted class's group only (the only group of a
 * binary or regression model): the N largest |contribution|, bias excluded. `score` computes them in slices
 * of about `explainSliceMs`, yielding the event loop between slices; `scoreSync` in one go.
 *
 * @example
 * const scorer = new InProcessScorer(await loadBundle(DEMO_BUNDLE_DIR));
 * const { results, explainMs } = await scorer.score({ x: rowsToFloat32(rows, bundle.contract.size), nRows: rows.length, explain: 3 });
 */
export class InProcessScorer implements Scorer {
  readonly kind = 'inprocess' as const;
  readonly model: { readonly name: string; readonly version: string };
  private readonly bundle: ModelBundle;
  private readonly sliceMs: number;
  private pred = new Float64Array(0);
  private contribs = new Float64Array(0);
  private readonly top: Int32Array;
  /**
   * The least time per row any earlier slice of 8+ rows took, ms (0 until the first): explaining walks every
   * node of the row's group, so a row's cost hardly varies, and slower slices were preempted or collected.
   */
  private msPerRow = 0;

  constructor(bundle: ModelBundle, options: InProcessScorerOptions = {}) {
    this.bundle = bundle;
    this.top = new Int32Array(Math.max(1, bundle.model.numFeatures));
    this.model = Object.freeze({ name: bundle.manifest.name, version: bundle.manifest.version });
    // Reason codes for 1,000 demo leads take ~4.2 ms in one go; in 1 ms slices, a request arriving meanwhile
    // waits about as long as for the batch's unsliced parse (1.2 ms) or response body (1.2 ms).
    this.sliceMs = options.explainSliceMs ?? 1;
  }

  /** Scores synchronously, reason codes included (in one go); see the class docs. */
  scoreSync(batch: ScoreBatch): ScoreBatchResult {
    const t0 = performance.now();
    const { results, groups } = this.predict(batch);
    const explain = batch.explain ?? 0;
    if (explain === 0) return { results, modelMs: performance.now() - t0, degraded: false };
    const t1 = performance.now();
    this.explainRows(batch, groups, results, 0, batch.nRows);
    const explainMs = performance.now() - t1;
    return { results, modelMs: performance.now() - t0, degraded: false, explainMs };
  }

  /** Scores; reason codes are computed in slices with the event loop free between them. */
  async score(batch: ScoreBatch): Promise<ScoreBatchResult> {
    const t0 = performance.now();
    const { results, groups } = this.predict(batch);
    const predictMs = performance.now() - t0;
    if ((batch.explain ?? 0) === 0) return { results, modelMs: predictMs, degraded: false };
    let explainMs = 0;
    for (let start = 0; start < batch.nRows;) {
      if (start > 0) await yieldToEventLoop();
      const count = Math.min(this.sliceRows(), batch.nRows - start);
      const t1 = performance.now();
      this.explainRows(batch, groups, results, start, start + count);
      const ms = performance.now() - t1;
      explainMs += ms;
      // A slice of a few rows times mostly call overhead; only fuller ones count.
      if (count >= FIRST_SLICE_ROWS && ms > 0 && (this.msPerRow === 0 || ms / count < this.msPerRow))
        this.msPerRow = ms / count;
      start += count;
    }
    return { results, modelMs: predictMs + explainMs, degraded: false, explainMs };
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private sliceRows(): number {
    if (this.msPerRow === 0) return FIRST_SLICE_ROWS;
    return Math.max(1, Math.min(MAX_SLICE_ROWS, Math.floor(this.sliceMs / this.msPerRow)));
  }

  /** Predictions as results, and each row's predicted group (copied: `this.pred` is reused by the next call). */
  private predict(batch: ScoreBatch): { results: LeadScore[]; groups: Int32Array | undefined } {
    const { model, manifest } = this.bundle;
    const { x, nRows } = batch;
    const width = model.predictionWidth;
    if (this.pred.length < nRows * width) this.pred = new Float64Array(Math.max(nRows * width, 64 * width));
    const pred = model.predictBatch(x, nRows, this.pred);
    // One mapping for both scorers (SageMakerScorer uses it too), so their results match by construction.
    const results = toLeadScores({ manifest, objective: model.objective, predictions: pred, nRows, width });
    if ((batch.explain ?? 0) === 0) return { results, groups: undefined };
    const groups = new Int32Array(nRows);
    if (model.numGroups > 1) for (let i = 0; i < nRows; i++) groups[i] = predictedClass(pred, i * width, width);
    return { results, groups };
  }

  /** Attaches reason codes to rows [start, end): one TreeSHAP call for their predicted groups. */
  private explainRows(
    batch: ScoreBatch,
    groups: Int32Array | undefined,
    results: LeadScore[],
    start: number,
    end: number,
  ): void {
    const { model, contract } = this.bundle;
    const nf = model.numFeatures;
    const width = nf + 1;
    const count = end - start;
    if (this.contribs.length < count * width) this.contribs = new Float64Array(count * width);
    const x = batch.x.subarray(start * nf, end * nf);
    const group = groups!.subarray(start, end);
    const contribs = model.predictContribsBatch(x, count, this.contribs, { group });
    const n = Math.min(batch.explain ?? 0, this.top.length);
    for (let i = 0; i < count; i++) {
      const found = strongestFeatures(contribs, i * width, nf, n, this.top);
      results[start + i]!.reasons = reasonCodes({
        names: contract.names,
        x,
        row: i,
        numFeatures: nf,
        contribs,
        offset: i * width,
        top: this.top,
        count: found,
      });
    }
  }
}
