import type { RejectedLead, ValidatedBatch } from '@lead-scoring/feature-schema';
import type { ScoreBatchResult } from '@lead-scoring/scoring-client';

/** What a 200 POST /score body is made of. */
export interface ScoreBodyParts {
  requestId: string;
  model: { readonly name: string; readonly version: string };
  batch: ValidatedBatch;
  out: ScoreBatchResult;
  latencyMs: { total: number; validation: number; model: number };
}

/**
 * Serialises the 200 body `{"request_id","model","results","latency_ms"}` (ScoreResponseSchema): one result
 * per lead in request order, each with the caller's `lead_id` first when one was sent. A scored lead carries
 * its score (and `warnings`, `degraded: true` when flagged or answered by the fallback); an invalid one an
 * `error` `{code: "INVALID_LEAD", message, details}`.
 *
 * @example
 * const body = buildScoreBody({ requestId, model: scorer.model, batch, out, latencyMs });
 */
export function buildScoreBody(p: ScoreBodyParts): string {
  const { leadIds, warnings, rejected, positions, total } = p.batch;
  const degraded = p.out.degraded;
  let results: readonly object[] = p.out.results;
  if (leadIds || degraded || warnings || rejected.length > 0) {
    const merged = new Array<object>(total);
    p.out.results.forEach((r, k) => {
      const id = leadIds?.[k];
      const w = warnings?.[k];
      merged[positions ? positions[k]! : k] = {
        ...(id === undefined ? {} : { lead_id: id }),
        ...r,
        ...(w ? { warnings: w } : {}),
        ...(degraded ? { degraded: true } : {}),
      };
    });
    for (const lead of rejected) merged[lead.position] = rejectedResult(lead);
    results = merged;
  }
  return JSON.stringify({
    request_id: p.requestId,
    model: { name: p.model.name, version: p.model.version },
    results,
    latency_ms: p.latencyMs,
  });
}

function rejectedResult(lead: RejectedLead): object {
  const listed = lead.problems > lead.details.length ? ` (first ${lead.details.length} listed)` : '';
  const error = {
    code: 'INVALID_LEAD',
    message: `This lead was not scored: ${lead.problems} problem(s)${listed}`,
    details: lead.details,
  };
  return lead.leadId === undefined ? { error } : { lead_id: lead.leadId, error };
}
