import type { LeadScore, ScoreBatchResult } from '@lead-scoring/scoring-client';
import type { ValidatedBatch } from './validate-request';

/** What a 200 POST /score body is made of. */
export interface ScoreBodyParts {
  requestId: string;
  model: { readonly name: string; readonly version: string };
  batch: ValidatedBatch;
  out: ScoreBatchResult;
  latencyMs: { total: number; validation: number; model: number };
}

/**
 * Serialises the 200 body `{"request_id","model","results","latency_ms"}` (ScoreResponseSchema),
 * results in request order, each with the caller's `lead_id` first when one was sent and
 * `degraded: true` when a fallback scorer answered.
 *
 * @example
 * const body = buildScoreBody({ requestId, model: scorer.model, batch, out, latencyMs });
 */
export function buildScoreBody(p: ScoreBodyParts): string {
  const { leadIds } = p.batch;
  const degraded = p.out.degraded;
  let results: readonly object[] = p.out.results;
  if (leadIds || degraded) {
    results = p.out.results.map((r: LeadScore, i) => {
      const id = leadIds?.[i];
      const withId = id === undefined ? { ...r } : { lead_id: id, ...r };
      return degraded ? { ...withId, degraded: true } : withId;
    });
  }
  return JSON.stringify({
    request_id: p.requestId,
    model: { name: p.model.name, version: p.model.version },
    results,
    latency_ms: p.latencyMs,
  });
}
