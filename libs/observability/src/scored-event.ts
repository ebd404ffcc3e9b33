/** One scored result as the API returns it (the subset observability needs). */
export interface ScoredResult {
  readonly score: number;
  readonly probabilities?: readonly number[];
  readonly probability?: number;
}

/**
 * What the API reports after answering a score request: one event per request (a batch of leads).
 * `x` is row-major float32 in FEATURE_NAMES order with NaN for missing, as the scorer saw it.
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
