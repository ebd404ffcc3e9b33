import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DriftSource } from './drift-source';
import { flaggedCounts, type LakeObserver, type ScoredEvent } from './scored-event';

/** CloudWatch namespace of every lead-scoring metric. */
export const EMF_NAMESPACE = 'LeadScoring';

/** Options of {@link EmfRecorder}. */
export interface EmfRecorderOptions {
  /** A Powertools Metrics instance; default: namespace LeadScoring, service `serviceName`. */
  readonly metrics?: Metrics;
  readonly serviceName?: string;
  /** Source of DriftPsiMax; emitted at most every `driftEveryMs` (default 60 s) once the window is full enough. */
  readonly drift?: DriftSource | null;
  readonly driftEveryMs?: number;
  readonly now?: () => number;
}

/**
 * The Lambda twin of the Prometheus metrics: the same events as CloudWatch EMF through Powertools
 * Metrics, names from the contract. Dimensions (besides `service`): Requests by Route and Status,
 * ScoreCount by Score, FeatureWarnings by Feature and Code (each emitted at once as a single-metric line); every
 * other metric (RequestLatency, ModelLatency, BatchSize, InvalidLeads, ScorerFallbacks, CircuitOpen,
 * LakeRecordsWritten/Failed/Dropped, DriftPsiMax) goes into the stored blob that `publish()` writes, once per
 * invocation.
 *
 * @example
 * const emf = new EmfRecorder({ drift });
 * emf.recordScored(event); await writer.flush(); emf.publish();
 */
export class EmfRecorder {
  readonly metrics: Metrics;
  private readonly drift: DriftSource | null;
  private readonly driftEveryMs: number;
  private readonly now: () => number;
  private lastDriftAt = -Infinity;
  private readonly scoreCounts = new Uint32Array(5);

  constructor(opts: EmfRecorderOptions = {}) {
    this.metrics = opts.metrics ?? new Metrics({ namespace: EMF_NAMESPACE, serviceName: opts.serviceName ?? 'lead-scoring-api' });
    this.drift = opts.drift ?? null;
    this.driftEveryMs = opts.driftEveryMs ?? 60_000;
    this.now = opts.now ?? Date.now;
  }

  /** Counters for a BufferedLakeWriter; they land in the next `publish()`. */
  readonly lakeObserver: LakeObserver = {
    written: (n) => this.metrics.addMetric('LakeRecordsWritten', MetricUnit.Count, n),
    failed: (n) => this.metrics.addMetric('LakeRecordsFailed', MetricUnit.Count, n),
    dropped: (n) => this.metrics.addMetric('LakeRecordsDropped', MetricUnit.Count, n),
  };

  /** Every answered request, score requests included: Requests{Route,Status} and RequestLatency. */
  recordRequest(route: string, status: number, latencyMs: number): void {
    this.metrics.singleMetric().addDimensions({ Route: route, Status: String(status) }).addMetric('Requests', MetricUnit.Count, 1);
    this.metrics.addMetric('RequestLatency', MetricUnit.Milliseconds, latencyMs);
  }

  /** What a successful score request adds (the request itself is counted by `recordRequest`). */
  recordScored(e: ScoredEvent): void {
    this.metrics.addMetric('ModelLatency', MetricUnit.Milliseconds, e.modelMs);
    this.metrics.addMetric('BatchSize', MetricUnit.Count, e.nRows);
    if (e.degraded) this.recordFallback();
    const counts = this.scoreCounts;
    counts.fill(0);
    for (const r of e.results) if (r.score >= 1 && r.score <= 5) counts[r.score - 1]!++;
    for (let s = 0; s < 5; s++) {
      if (counts[s]! > 0) {
        this.metrics.singleMetric().addDimension('Score', String(s + 1)).addMetric('ScoreCount', MetricUnit.Count, counts[s]!);
      }
    }
    this.drift?.observe(e.x, e.nRows, e.results);
    if (e.invalidLeads) this.metrics.addMetric('InvalidLeads', MetricUnit.Count, e.invalidLeads);
    for (const [key, n] of flaggedCounts(e)) {
      const [feature, code] = key.split('\0') as [string, string];
      this.metrics.singleMetric().addDimensions({ Feature: feature, Code: code }).addMetric('FeatureWarnings', MetricUnit.Count, n);
    }
  }

  recordFallback(n = 1): void {
    this.metrics.addMetric('ScorerFallbacks', MetricUnit.Count, n);
  }

  setCircuitOpen(open: boolean): void {
    this.metrics.addMetric('CircuitOpen', MetricUnit.Count, open ? 1 : 0);
  }

  /** Writes the stored blob (adds DriftPsiMax when due). Call once at the end of every invocation. */
  publish(): void {
    const t = this.now();
    if (this.drift && t - this.lastDriftAt >= this.driftEveryMs) {
      const snap = this.drift.snapshot();
      if (snap?.maxPsi != null) {
        this.metrics.addMetric('DriftPsiMax', MetricUnit.NoUnit, snap.maxPsi);
        this.lastDriftAt = t;
      }
    }
    if (this.metrics.hasStoredMetrics()) this.metrics.publishStoredMetrics();
  }
}
