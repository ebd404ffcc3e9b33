import { predictedClass, type ModelBundle } from '@lead-scoring/model-bundle';
import { toLeadScores } from './lead-scores';
import type { LeadScore, ReasonCode, ScoreBatch, ScoreBatchResult, Scorer } from './scorer';

/**
 * Scores in this process with the bundle's model (the XGBoost-exact evaluator). `scoreSync` is the
 * hot path: one `predictBatch` over the whole batch into a reused buffer, then one small object per row.
 * Reason codes (`explain`) come from TreeSHAP (`predictContribsBatch`): the N largest |contribution|
 * for the predicted class's group (the only group of a binary or regression model), bias excluded.
 *
 * @example
 * const scorer = new InProcessScorer(await loadBundle(DEMO_BUNDLE_DIR));
 * const { results } = scorer.scoreSync({ x: rowsToFloat32(rows, bundle.contract.size), nRows: rows.length, explain: 3 });
 */
export class InProcessScorer implements Scorer {
  readonly kind = 'inprocess' as const;
  readonly model: { readonly name: string; readonly version: string };
  private readonly bundle: ModelBundle;
  private pred = new Float64Array(0);

  constructor(bundle: ModelBundle) {
    this.bundle = bundle;
    this.model = Object.freeze({ name: bundle.manifest.name, version: bundle.manifest.version });
  }

  /** Scores synchronously; see the class docs. */
  scoreSync(batch: ScoreBatch): ScoreBatchResult {
    const t0 = performance.now();
    const { model, manifest } = this.bundle;
    const { x, nRows } = batch;
    const width = model.predictionWidth;
    if (this.pred.length < nRows * width) this.pred = new Float64Array(Math.max(nRows * width, 64 * width));
    // The buffer is reused across calls: safe because every value is copied out before returning.
    const pred = model.predictBatch(x, nRows, this.pred);
    // One mapping for both scorers (SageMakerScorer uses it too), so their results match by construction.
    const results = toLeadScores({ manifest, objective: model.objective, predictions: pred, nRows, width });
    const explain = batch.explain ?? 0;
    if (explain > 0) this.attachReasons(x, nRows, pred, results, explain);
    return { results, modelMs: performance.now() - t0, degraded: false };
  }

  score(batch: ScoreBatch): Promise<ScoreBatchResult> {
    try {
      return Promise.resolve(this.scoreSync(batch));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private attachReasons(x: Float32Array, nRows: number, pred: Float64Array, results: LeadScore[], n: number): void {
    const { model, contract } = this.bundle;
    const nf = model.numFeatures;
    const groups = model.numGroups;
    const width = model.predictionWidth;
    // Copy the predictions first: the contribs call must not write into the shared buffer.
    const predicted = new Int32Array(nRows);
    for (let i = 0; i < nRows; i++) predicted[i] = groups === 1 ? 0 : predictedClass(pred, i * width, width);
    const contribs = model.predictContribsBatch(x, nRows);
    const order = Array.from({ length: nf }, (_, j) => j);
    for (let i = 0; i < nRows; i++) {
      const base = (i * groups + predicted[i]!) * (nf + 1);
      order.sort((a, b) => Math.abs(contribs[base + b]!) - Math.abs(contribs[base + a]!) || a - b);
      const reasons: ReasonCode[] = [];
      for (let k = 0; k < Math.min(n, nf); k++) {
        const j = order[k]!;
        const v = x[i * nf + j]!;
        reasons.push({ feature: contract.names[j] ?? `f${j}`, value: Number.isNaN(v) ? null : shortestFloat32(v), contribution: contribs[base + j]! });
      }
      results[i]!.reasons = reasons;
    }
  }
}

/** The shortest decimal that rounds to this float32 (0.1, not 0.10000000149011612), as clients sent it. */
function shortestFloat32(v: number): number {
  for (let p = 1; p < 9; p++) {
    const d = Number(v.toPrecision(p));
    if (Math.fround(d) === v) return d;
  }
  return v;
}
