import type { Registry } from 'prom-client';
import { HotCounter, HotHistogram } from './hot-metrics';
import type { ScoredEvent, ShadowOutcome, ShadowSkipReason } from './scored-event';
import { probabilityDistance } from './shadow-compare';

/** Buckets of the per-lead probability distance between production and shadow (0..1). */
export const SHADOW_DIFF_BUCKETS = [0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1];
const SKIP_REASONS: readonly ShadowSkipReason[] = ['queue_full', 'lag', 'error', 'timeout'];

/** The shadow model's series: agreement matrix, probability distance, skipped leads, shadow model latency. */
export interface ShadowMetrics {
  record(e: ScoredEvent, outcome: ShadowOutcome): void;
  skipped(reason: ShadowSkipReason, leads: number): void;
}

/**
 * Registers the shadow series (typed-array metrics: the 25 cells of the agreement matrix resolve to handles once):
 * `lead_scoring_shadow_agreement_total{production,shadow}` (leads by production score and shadow score),
 * `lead_scoring_shadow_probability_diff` (per lead, see `probabilityDistance`; `_sum / _count` is the mean
 * absolute probability difference), `lead_scoring_shadow_skipped_leads_total{reason}` and
 * `lead_scoring_shadow_model_latency_ms`.
 *
 * @example
 * const shadow = createShadowMetrics([registry], LATENCY_BUCKETS_MS); shadow.record(event, outcome);
 */
export function createShadowMetrics(registers: readonly Registry[], latencyBuckets: readonly number[]): ShadowMetrics {
  const agreement = new HotCounter({
    name: 'lead_scoring_shadow_agreement_total',
    help: 'Leads scored by production and the shadow model, by production score and shadow score',
    labelNames: ['production', 'shadow'],
    registers,
  });
  const diff = new HotHistogram({
    name: 'lead_scoring_shadow_probability_diff',
    help: 'Per lead, the distance between production and shadow probabilities (half the L1 distance; |p - q| for binary models)',
    buckets: SHADOW_DIFF_BUCKETS,
    registers,
  });
  const skippedLeads = new HotCounter({
    name: 'lead_scoring_shadow_skipped_leads_total',
    help: 'Leads the shadow model did not score: it fell behind (queue_full, lag), failed (error) or stalled (timeout)',
    labelNames: ['reason'],
    registers,
  });
  const latency = new HotHistogram({
    name: 'lead_scoring_shadow_model_latency_ms',
    help: 'Time in the shadow model per batch, ms',
    buckets: latencyBuckets,
    registers,
  });
  // Every cell exists from the start, so a dashboard shows a zero rather than no series.
  const cells = [1, 2, 3, 4, 5].map((p) => [1, 2, 3, 4, 5].map((s) => agreement.handle(String(p), String(s))));
  const reasons = new Map(SKIP_REASONS.map((r) => [r, skippedLeads.handle(r)]));
  return {
    record(e, outcome) {
      latency.record(0, outcome.modelMs);
      const n = Math.min(e.results.length, outcome.results.length);
      for (let i = 0; i < n; i++) {
        const prod = e.results[i]!;
        const shadow = outcome.results[i]!;
        const cell = cells[prod.score - 1]?.[shadow.score - 1];
        if (cell !== undefined) agreement.add(cell);
        const d = probabilityDistance(prod, shadow);
        if (d !== null) diff.record(0, d);
      }
    },
    skipped(reason, leads) {
      if (leads > 0) skippedLeads.add(reasons.get(reason)!, leads);
    },
  };
}
