import type { DriftSource } from './drift-source';
import { flaggedCounts, type LakeObserver, type ScoredEvent, type ShadowOutcome } from './scored-event';
import { probabilityDistance } from './shadow-compare';

/** CloudWatch namespace of every lead-scoring metric. */
export const EMF_NAMESPACE = 'LeadScoring';

/** Most per-feature warning metrics one document carries (the rest count in the `FeatureWarnings` total only). */
export const EMF_MAX_FEATURE_METRICS = 20;

/** Options of {@link EmfRecorder}. */
export interface EmfRecorderOptions {
  /** The `service` dimension of every metric; default `lead-scoring-api`. */
  readonly serviceName?: string;
  /** Source of DriftPsiMax; emitted at most every `driftEveryMs` (default 60 s) once the window is full enough. */
  readonly drift?: DriftSource | null;
  readonly driftEveryMs?: number;
  /** Per-feature warning metrics per document, the most frequent first (default 20, at most 50). */
  readonly maxFeatureMetrics?: number;
  readonly now?: () => number;
  /** Where a document goes, as one line; default stdout, which Lambda ships to CloudWatch Logs. */
  readonly write?: (line: string) => void;
}

/** The lake counters of a Lambda invocation: a writer's three, plus where refused records went. */
export interface EmfLakeObserver extends LakeObserver {
  /** Records Firehose refused that the fallback object holds. */
  fallback(n: number): void;
  /** Records neither Firehose nor the fallback took (the invocation answered 503 instead). */
  unplaced(n: number): void;
}

type Unit = 'Count' | 'Milliseconds' | 'None';

/**
 * The Lambda twin of the Prometheus metrics: CloudWatch EMF, one document per invocation holding every metric
 * of it, written by `publish()`. Two metric directives share the document: everything under the `service`
 * dimension, and `Requests` under `service`, `Route`, `Status` (one request per invocation, so one value each).
 * Scores are the counts `Score1`..`Score5`; `FeatureWarnings` is the invocation's total of flagged values, and
 * `FeatureWarnings.<feature>.<CODE>` its most frequent (feature, code) pairs.
 *
 * The document is written here, not through Powertools Metrics: Powertools puts every stored metric under one
 * directive, so Requests by Route and Status would need a document of their own, or those dimensions on every
 * metric (one custom metric per route and status for each of them).
 *
 * @example
 * const emf = new EmfRecorder({ drift });
 * emf.recordRequest('/score', 200, 4.2); emf.recordScored(event); emf.publish();
 */
export class EmfRecorder {
  private readonly service: string;
  private readonly drift: DriftSource | null;
  private readonly driftEveryMs: number;
  private readonly maxFeatureMetrics: number;
  private readonly now: () => number;
  private readonly write: (line: string) => void;
  private lastDriftAt = -Infinity;
  /** Metric name to unit and value (a number, or the samples of a latency or size). */
  private metrics = new Map<string, { unit: Unit; value: number | number[] }>();
  private request: { route: string; status: string; n: number } | null = null;
  /** `feature\0code` to flagged values since the last publish. */
  private flagged = new Map<string, number>();

  constructor(opts: EmfRecorderOptions = {}) {
    this.service = opts.serviceName ?? 'lead-scoring-api';
    this.drift = opts.drift ?? null;
    this.driftEveryMs = opts.driftEveryMs ?? 60_000;
    this.maxFeatureMetrics = Math.max(0, Math.min(50, opts.maxFeatureMetrics ?? EMF_MAX_FEATURE_METRICS));
    this.now = opts.now ?? Date.now;
    this.write = opts.write ?? ((line) => void process.stdout.write(`${line}\n`));
  }

  /** Lake counters; they land in the next `publish()`. */
  readonly lakeObserver: EmfLakeObserver = {
    written: (n) => this.add('LakeRecordsWritten', n),
    failed: (n) => this.add('LakeRecordsFailed', n),
    dropped: (n) => this.add('LakeRecordsDropped', n),
    fallback: (n) => this.add('LakeRecordsFallback', n),
    unplaced: (n) => this.add('LakeRecordsUnplaced', n),
  };

  /** Every answered request, score requests included: Requests{Route,Status} and RequestLatency. */
  recordRequest(route: string, status: number, latencyMs: number): void {
    const s = String(status);
    // A document has one Route and one Status: a second, different request starts the next document.
    if (this.request && (this.request.route !== route || this.request.status !== s)) this.publish();
    if (this.request) this.request.n++;
    else this.request = { route, status: s, n: 1 };
    this.sample('RequestLatency', 'Milliseconds', ms(latencyMs));
  }

  /** The recorded request was answered with another status after all (Lambda: 503 when the lake refused its records). */
  setStatus(status: number): void {
    if (this.request) this.request.status = String(status);
  }

  /** What a successful score request adds (the request itself is counted by `recordRequest`). */
  recordScored(e: ScoredEvent): void {
    this.sample('ModelLatency', 'Milliseconds', ms(e.modelMs));
    if (e.explainMs !== undefined) this.sample('ExplainLatency', 'Milliseconds', ms(e.explainMs));
    this.sample('BatchSize', 'Count', e.nRows);
    if (e.degraded) this.recordFallback();
    for (const r of e.results) if (r.score >= 1 && r.score <= 5) this.add(`Score${r.score}`, 1);
    this.drift?.observe(e.x, e.nRows, e.results);
    if (e.invalidLeads) this.add('InvalidLeads', e.invalidLeads);
    for (const [key, n] of flaggedCounts(e)) {
      this.add('FeatureWarnings', n);
      this.flagged.set(key, (this.flagged.get(key) ?? 0) + n);
    }
  }

  /**
   * The shadow model's result for a scored request: `ShadowAgreement.P<production>.S<shadow>` counts (the agreement
   * matrix, non-zero cells only), `ShadowProbabilityDiffSum` and `ShadowCompared` (their ratio is the mean absolute
   * probability difference, in CloudWatch metric math), `ShadowModelLatency`.
   */
  recordShadow(e: ScoredEvent, outcome: ShadowOutcome): void {
    this.sample('ShadowModelLatency', 'Milliseconds', ms(outcome.modelMs));
    const n = Math.min(e.results.length, outcome.results.length);
    let sum = 0;
    let compared = 0;
    for (let i = 0; i < n; i++) {
      const p = e.results[i]!;
      const s = outcome.results[i]!;
      if (p.score >= 1 && p.score <= 5 && s.score >= 1 && s.score <= 5)
        this.add(`ShadowAgreement.P${p.score}.S${s.score}`, 1);
      const d = probabilityDistance(p, s);
      if (d !== null) {
        sum += d;
        compared++;
      }
    }
    if (compared > 0) {
      this.add('ShadowCompared', compared);
      this.addValue('ShadowProbabilityDiffSum', 'None', sum);
    }
  }

  /** Leads the shadow model did not score (ShadowSkippedLeads). */
  recordShadowSkipped(leads: number): void {
    if (leads > 0) this.add('ShadowSkippedLeads', leads);
  }

  /** Batches answered by the in-process fallback scorer (ScorerFallbacks). */
  recordFallback(n = 1): void {
    this.add('ScorerFallbacks', n);
  }

  setCircuitOpen(open: boolean): void {
    this.metrics.set('CircuitOpen', { unit: 'Count', value: open ? 1 : 0 });
  }

  /** Writes one document with everything recorded since the last (adds DriftPsiMax when due). Call once per invocation. */
  publish(): void {
    const t = this.now();
    if (this.drift && t - this.lastDriftAt >= this.driftEveryMs) {
      const snap = this.drift.snapshot();
      if (snap?.maxPsi != null) {
        this.metrics.set('DriftPsiMax', { unit: 'None', value: snap.maxPsi });
        this.lastDriftAt = t;
      }
    }
    this.addFeatureMetrics();
    if (this.metrics.size > 0 || this.request) this.write(JSON.stringify(this.document(t)));
    this.metrics = new Map();
    this.flagged = new Map();
    this.request = null;
  }

  private document(t: number): Record<string, unknown> {
    const directives: object[] = [];
    const doc: Record<string, unknown> = {
      _aws: { Timestamp: t, CloudWatchMetrics: directives },
      service: this.service,
    };
    if (this.metrics.size > 0) {
      const defs: { Name: string; Unit: Unit }[] = [];
      for (const [name, m] of this.metrics) {
        defs.push({ Name: name, Unit: m.unit });
        doc[name] = m.value;
      }
      directives.push({ Namespace: EMF_NAMESPACE, Dimensions: [['service']], Metrics: defs });
    }
    if (this.request) {
      directives.push({
        Namespace: EMF_NAMESPACE,
        Dimensions: [['service', 'Route', 'Status']],
        Metrics: [{ Name: 'Requests', Unit: 'Count' }],
      });
      Object.assign(doc, { Route: this.request.route, Status: this.request.status, Requests: this.request.n });
    }
    return doc;
  }

  /**
   * Per-feature warnings as metric names, the most frequent pairs only. Dimensions cannot carry them: a document
   * holds one value per dimension, and a document per pair is what this recorder avoids. A model may have
   * hundreds of features and EMF takes 100 metrics per directive, so the top `maxFeatureMetrics` pairs get a
   * metric each (names made ASCII: CloudWatch refuses other characters) and `FeatureWarnings` keeps the total.
   */
  private addFeatureMetrics(): void {
    if (this.flagged.size === 0 || this.maxFeatureMetrics === 0) return;
    const top = [...this.flagged]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, this.maxFeatureMetrics);
    for (const [key, n] of top) {
      const [feature, code] = key.split('\0') as [string, string];
      this.add(`FeatureWarnings.${metricPart(feature)}.${metricPart(code)}`, n);
    }
  }

  private add(name: string, n: number): void {
    this.addValue(name, 'Count', n);
  }

  private addValue(name: string, unit: Unit, n: number): void {
    const m = this.metrics.get(name);
    if (m) m.value = (m.value as number) + n;
    else this.metrics.set(name, { unit, value: n });
  }

  private sample(name: string, unit: Unit, v: number): void {
    const m = this.metrics.get(name);
    if (!m) {
      this.metrics.set(name, { unit, value: v });
      return;
    }
    m.value = Array.isArray(m.value) ? [...m.value, v] : [m.value, v];
    // EMF takes at most 100 values per metric: a longer-lived recorder publishes before going past it.
    if (m.value.length >= 100) this.publish();
  }
}

/** A duration to the microsecond: the digits past it cost log bytes and say nothing. */
const ms = (v: number): number => Math.round(v * 1000) / 1000;

/** A feature name or code as part of a metric name: ASCII letters, digits, `_` and `-`, at most 200 characters. */
function metricPart(s: string): string {
  return s.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 200);
}
