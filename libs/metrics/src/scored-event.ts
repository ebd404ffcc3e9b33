/** One scored result as the API returns it (the subset observability needs). */
export interface ScoredResult {
  readonly score: number;
  readonly probabilities?: readonly number[];
  readonly probability?: number;
}

/**
 * What the API reports after answering a score request: one event per request (a batch of leads).
 * `x` is row-major float32 in the model's feature order with NaN for missing, as the scorer saw it.
 * The observers copy what they keep, so the caller may reuse `x` once the callback returns.
 */
export interface ScoredEvent {
  readonly requestId: string;
  /** Route label, e.g. `/score`. */
  readonly route: string;
  readonly status: number;
  /** Request wall time (parse + score + serialise), ms. */
  readonly latencyMs: number;
  /** Time spent in the model, ms. */
  readonly modelMs: number;
  /** Of which explaining (TreeSHAP reason codes), ms; absent when the request asked for none. */
  readonly explainMs?: number | undefined;
  /** True when the primary scorer failed and the fallback answered. */
  readonly degraded: boolean;
  readonly model: { readonly name: string; readonly version: string };
  readonly x: Float32Array;
  readonly nRows: number;
  readonly results: readonly ScoredResult[];
  /** Lead ids by row, when the request carried them. */
  readonly leadIds?: readonly (string | null | undefined)[] | undefined;
  /** Epoch ms of the request; defaults to now. */
  readonly ts?: number;
  /** Values flagged per scored lead (outside the published range, lenient validation); undefined when none. */
  readonly warnings?: readonly (readonly FlaggedValue[] | undefined)[] | undefined;
  /** Leads of the request answered with an error instead of a score. */
  readonly invalidLeads?: number;
}

/**
 * What the shadow model made of the leads of one scored request: one result per scored lead, in the order of the
 * request's `results`. Produced after the answer has left (the score API's shadow runner).
 */
export interface ShadowOutcome {
  readonly model: { readonly name: string; readonly version: string };
  readonly results: readonly ScoredResult[];
  /** Time the shadow model took for the batch, ms. */
  readonly modelMs: number;
}

/** Why leads were not scored by the shadow model: it fell behind (`queue_full`, `lag`), failed, or stalled. */
export type ShadowSkipReason = 'queue_full' | 'lag' | 'error' | 'timeout';

/** A value scored although outside what the model publishes: the data-quality signal. */
export interface FlaggedValue {
  readonly feature: string;
  /** `OUT_OF_RANGE` or `NOT_WHOLE_NUMBER`. */
  readonly code: string;
}

/**
 * Counts the flagged values of an event by feature and code (`feature\0code` keys); empty when none.
 *
 * @example
 * for (const [key, n] of flaggedCounts(event)) { const [feature, code] = key.split('\0'); }
 */
export function flaggedCounts(e: ScoredEvent): Map<string, number> {
  const counts = new Map<string, number>();
  if (!e.warnings) return counts;
  for (const lead of e.warnings) {
    if (!lead) continue;
    for (const w of lead) {
      const key = `${w.feature}\0${w.code}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

/** Minimal logger: Powertools Logger and `console` both fit. */
export interface ObsLogger {
  warn(message: string, ...extra: unknown[]): void;
  error(message: string, ...extra: unknown[]): void;
}

/** Counters a lake writer reports into (Prometheus or EMF). */
export interface LakeObserver {
  written(n: number): void;
  failed(n: number): void;
  dropped(n: number): void;
}

/** The probability reported for a result: the binary probability, or the predicted class's one. */
export function topProbability(r: ScoredResult): number | null {
  if (r.probability !== undefined) return r.probability;
  const p = r.probabilities;
  if (p === undefined || p.length === 0) return null;
  let best = -Infinity;
  for (let i = 0; i < p.length; i++) if (p[i]! > best) best = p[i]!;
  return best;
}
