import type { ScoreBatch, ScoreBatchResult, Scorer } from '@lead-scoring/scoring-client';

/** A scorer whose score is 1 + (first feature mod 5), so tests can check ordering; records its batches. */
export class FakeScorer implements Scorer {
  readonly kind = 'inprocess' as const;
  readonly model = { name: 'fake', version: '9.9.9' };
  readonly batches: ScoreBatch[] = [];
  constructor(private readonly behaviour: { fail?: unknown; delayMs?: number } = {}) {}

  async score(batch: ScoreBatch): Promise<ScoreBatchResult> {
    this.batches.push(batch);
    if (this.behaviour.delayMs) await new Promise((r) => setTimeout(r, this.behaviour.delayMs));
    if (this.behaviour.fail !== undefined) throw this.behaviour.fail;
    const results = Array.from({ length: batch.nRows }, (_, i) => {
      const v = batch.x[i * (batch.x.length / batch.nRows)];
      const score = (1 + (Number.isNaN(v) ? 0 : Math.floor(v!) % 5)) as 1 | 2 | 3 | 4 | 5;
      return { score, probabilities: [0.2, 0.2, 0.2, 0.2, 0.2] };
    });
    return { results, modelMs: 0.01, degraded: false, ...(batch.explain ? { explainMs: 0.004 } : {}) };
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
