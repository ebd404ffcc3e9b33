import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { DriftSource } from './drift-source';
import { HotCounter, HotHistogram } from './hot-metrics';
import {
  flaggedCounts,
  topProbability,
  type ScoredEvent,
  type ShadowOutcome,
  type ShadowSkipReason,
} from './scored-event';
import { createShadowMetrics } from './shadow-metrics';

/** Latency buckets (ms): dense over 1-1000 ms, plus 2.5 s and 5 s so a p99 above 1 s is measurable. */
export const LATENCY_BUCKETS_MS = [
  1, 2, 3, 5, 7.5, 10, 15, 20, 30, 50, 75, 100, 150, 200, 300, 500, 750, 1000, 2500, 5000,
];
export const BATCH_SIZE_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];
export const PROBABILITY_BUCKETS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1];

/** Options of {@link createMetrics}. */
export interface MetricsOptions {
  /** The model's feature names, for the per-feature series. */
  readonly featureNames: readonly string[];
  /** Source of PSI and missing rates, read at scrape time; can be swapped later with `setDrift`. */
  readonly drift?: DriftSource | null;
  /** Also export Node process metrics (heap, event loop lag...). Default true. */
  readonly processMetrics?: boolean;
  /**
   * Export the lead-scoring series (scores, probabilities, fallbacks, circuit, lake, drift). Default true;
   * false leaves requests, request/model latency and batch size (the model server).
   */
  readonly scoring?: boolean;
  /** Export the shadow model's series (agreement matrix, probability difference, skipped leads). Default false. */
  readonly shadow?: boolean;
  /** Static labels on every series, e.g. `{ service: 'api' }`. */
  readonly defaultLabels?: Record<string, string>;
}

/** What the local lake reports, read only when /metrics is scraped (nothing on the request path). */
export interface LakeMetricsSource {
  /** This process's spool: leads written, seconds spent writing them, write failures, leads scored unrecorded. */
  stats(): {
    leads: number;
    writeSeconds: number;
    failures: number;
    unrecorded: number;
    unavailable: boolean;
    shadowLost?: number;
  };
  /** The lake folder (the same for every worker): published bytes and files, oldest partition, spool depth. */
  usage(): Promise<{
    lakeBytes: number;
    lakeFiles: number;
    oldestPartitionSeconds: number;
    spoolSegments: number;
    spoolBytes: number;
  }>;
}

/** The serving metrics: a prom-client registry plus cheap recorders for the hot path. */
export interface LeadScoringMetrics {
  readonly registry: Registry;
  /**
   * Records every answered request (score requests included): Requests{route,status} and RequestLatency.
   * Call it from the API's `onRequest` hook.
   */
  recordRequest(route: string, status: number, latencyMs: number): void;
  /**
   * Records what a successful score request adds: model latency, batch size, scores, probabilities,
   * fallbacks, and the drift window. It does not count the request (recordRequest does).
   */
  recordScored(event: ScoredEvent): void;
  /** Records the shadow model's result for a scored request: the agreement matrix and the probability distance. */
  recordShadow(event: ScoredEvent, outcome: ShadowOutcome): void;
  /** Counts leads the shadow model did not score, by reason. */
  recordShadowSkipped(reason: ShadowSkipReason, leads: number): void;
  /** Counts scorer fallbacks (SageMaker failed, in-process answered). */
  recordFallback(n?: number): void;
  setCircuitOpen(open: boolean): void;
  /** Reads the circuit state at scrape time instead (e.g. `() => scorer.circuitState === 'open'`). */
  setCircuitOpenSource(source: (() => boolean) | null): void;
  /** Reads the local lake's spool and folder at scrape time. */
  setLakeSource(source: LakeMetricsSource | null): void;
  setDrift(drift: DriftSource | null): void;
  /** Prometheus text of this process. */
  text(): Promise<string>;
}

/**
 * Creates the serving metric set in a fresh registry (never the global one, so tests and several
 * servers in one process do not collide). The per-request and per-lead metrics are typed-array
 * counters and histograms with label handles resolved once (hot-metrics.ts), so the hot path does no
 * label hashing and allocates nothing.
 *
 * @example
 * const metrics = createMetrics({ featureNames: bundle.contract.names, drift });
 * metrics.recordScored(event); res.end(await metrics.text());
 */
export function createMetrics(opts: MetricsOptions): LeadScoringMetrics {
  const registry = new Registry();
  if (opts.defaultLabels) registry.setDefaultLabels(opts.defaultLabels);
  if (opts.processMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'lead_scoring_' });
  const registers = [registry];
  // Without `scoring` (a server that answers raw predictions) these series are kept out of the registry.
  const scoringRegisters = (opts.scoring ?? true) ? registers : [];
  let drift = opts.drift ?? null;

  // Recorded per request or per lead: typed-array metrics (hot-metrics.ts), read by prom-client at scrape.
  const requests = new HotCounter({
    name: 'lead_scoring_requests_total',
    help: 'Requests by route and HTTP status',
    labelNames: ['route', 'status'],
    registers,
  });
  const requestLatency = new HotHistogram({
    name: 'lead_scoring_request_latency_ms',
    help: 'Request wall time, ms',
    labelNames: ['route'],
    buckets: LATENCY_BUCKETS_MS,
    registers,
  });
  const modelLatency = new HotHistogram({
    name: 'lead_scoring_model_latency_ms',
    help: 'Time in the model per batch, ms',
    buckets: LATENCY_BUCKETS_MS,
    registers,
  });
  const explainLatency = new HotHistogram({
    name: 'lead_scoring_explain_latency_ms',
    help: 'Time explaining (reason codes) per batch that asked for them, ms',
    buckets: LATENCY_BUCKETS_MS,
    registers: scoringRegisters,
  });
  const batchSize = new HotHistogram({
    name: 'lead_scoring_batch_size',
    help: 'Leads per score request',
    buckets: BATCH_SIZE_BUCKETS,
    registers,
  });
  const scores = new HotCounter({
    name: 'lead_scoring_scores_total',
    help: 'Scored leads by score 1..5',
    labelNames: ['score'],
    registers: scoringRegisters,
  });
  const probability = new HotHistogram({
    name: 'lead_scoring_predicted_probability',
    help: 'Probability of the predicted class',
    buckets: PROBABILITY_BUCKETS,
    registers: scoringRegisters,
  });
  const flagged = new Counter({
    name: 'lead_scoring_feature_warnings_total',
    help: 'Values scored although outside the published range (or not whole), by feature and code',
    labelNames: ['feature', 'code'],
    registers: scoringRegisters,
  });
  const invalidLeads = new Counter({
    name: 'lead_scoring_invalid_leads_total',
    help: 'Leads answered with an error instead of a score',
    registers: scoringRegisters,
  });
  const fallbacks = new Counter({
    name: 'lead_scoring_scorer_fallbacks_total',
    help: 'Batches answered by the fallback scorer',
    registers: scoringRegisters,
  });
  let circuitSource: (() => boolean) | null = null;
  const circuit = new Gauge({
    name: 'lead_scoring_circuit_open',
    help: '1 while the SageMaker circuit breaker is open',
    registers: scoringRegisters,
    aggregator: 'max',
    collect() {
      if (circuitSource) this.set(circuitSource() ? 1 : 0);
    },
  });
  let lake: LakeMetricsSource | null = null;
  // Counters read from the spool's own totals when scraped: the request path only adds to plain numbers.
  const lakeCounter = (
    name: string,
    help: string,
    pick: (s: ReturnType<LakeMetricsSource['stats']>) => number,
  ): void => {
    new Counter({
      name,
      help,
      registers: scoringRegisters,
      collect() {
        this.reset();
        if (lake) this.inc(pick(lake.stats()));
      },
    });
  };
  lakeCounter(
    'lead_scoring_lake_spooled_leads_total',
    'Leads durably written to the lake spool before their answer',
    (s) => s.leads,
  );
  lakeCounter(
    'lead_scoring_lake_spool_write_seconds_total',
    'Time the request path spent writing spool frames, seconds',
    (s) => s.writeSeconds,
  );
  lakeCounter('lead_scoring_lake_spool_failures_total', 'Spool writes or fsyncs that failed', (s) => s.failures);
  lakeCounter(
    'lead_scoring_lake_unrecorded_leads_total',
    'Leads scored but not recorded in the lake (LAKE_REQUIRED=off only)',
    (s) => s.unrecorded,
  );
  lakeCounter(
    'lead_scoring_lake_shadow_lost_leads_total',
    'Leads whose shadow result did not reach the spool in time (their shadow columns are null)',
    (s) => s.shadowLost ?? 0,
  );
  // Also without `scoring`: the model server compares raw predictions mapped to scores by the bundles' manifests.
  const shadow = createShadowMetrics(opts.shadow ? registers : [], LATENCY_BUCKETS_MS);
  new Gauge({
    name: 'lead_scoring_lake_spool_unavailable',
    help: '1 while a worker cannot write the lake spool (its requests get 503)',
    registers: scoringRegisters,
    aggregator: 'max',
    collect() {
      this.set(lake?.stats().unavailable ? 1 : 0);
    },
  });
  // The folder is the same for every worker: `max`, not a sum over workers.
  const folderGauge = (
    name: string,
    help: string,
    pick: (u: Awaited<ReturnType<LakeMetricsSource['usage']>>) => number,
  ): void => {
    new Gauge({
      name,
      help,
      registers: scoringRegisters,
      aggregator: 'max',
      async collect() {
        if (lake) this.set(pick(await lake.usage()));
      },
    });
  };
  folderGauge('lead_scoring_lake_bytes', 'Bytes of the published lake files (Parquet)', (u) => u.lakeBytes);
  folderGauge('lead_scoring_lake_files', 'Published lake files', (u) => u.lakeFiles);
  folderGauge(
    'lead_scoring_lake_oldest_partition_timestamp_seconds',
    'Start of the oldest hour partition of the lake, epoch seconds (0: empty)',
    (u) => u.oldestPartitionSeconds,
  );
  folderGauge(
    'lead_scoring_lake_spool_segments',
    'Spool segments not yet in a lake file (being written or waiting)',
    (u) => u.spoolSegments,
  );
  folderGauge(
    'lead_scoring_lake_spool_bytes',
    'Bytes of the spool segments not yet in a lake file',
    (u) => u.spoolBytes,
  );
  // Registered first among the drift gauges: its collect() refreshes all of them before they are read.
  const psiGauge: Gauge<'feature'> = new Gauge({
    name: 'lead_scoring_feature_psi',
    help: 'PSI of each feature over the sliding window vs the training baseline',
    labelNames: ['feature'],
    registers: scoringRegisters,
    aggregator: 'max',
    collect: () => refreshDrift(),
  });
  const missingGauge = new Gauge({
    name: 'lead_scoring_feature_missing_rate',
    help: 'Share of missing values per feature over the sliding window',
    labelNames: ['feature'],
    registers: scoringRegisters,
    aggregator: 'average',
  });
  const psiMax = new Gauge({
    name: 'lead_scoring_drift_psi_max',
    help: 'Largest feature PSI over the sliding window',
    registers: scoringRegisters,
    aggregator: 'max',
  });
  const scorePsi = new Gauge({
    name: 'lead_scoring_score_psi',
    help: 'PSI of the score distribution over the sliding window',
    registers: scoringRegisters,
    aggregator: 'max',
  });
  new Gauge({
    name: 'lead_scoring_drift_window_rows',
    help: 'Rows in the drift sliding window',
    registers: scoringRegisters,
    collect() {
      this.set(drift ? drift.windowRows : 0);
    },
  });

  function refreshDrift(): void {
    const snap = drift?.snapshot() ?? null;
    psiGauge.reset();
    missingGauge.reset();
    psiMax.reset();
    scorePsi.reset();
    if (!snap) return;
    for (const f of snap.features) {
      missingGauge.labels(f.name).set(f.missingRate);
      if (f.psi !== null) psiGauge.labels(f.name).set(f.psi);
    }
    if (snap.maxPsi !== null) psiMax.set(snap.maxPsi);
    if (snap.scorePsi !== null) scorePsi.set(snap.scorePsi);
  }

  const scoreHandles = [1, 2, 3, 4, 5].map((s) => scores.handle(String(s)));
  const requestHandles = new Map<string, Map<number, number>>();
  const latencyHandles = new Map<string, number>();
  const requestHandle = (route: string, status: number): number => {
    let byStatus = requestHandles.get(route);
    if (!byStatus) requestHandles.set(route, (byStatus = new Map()));
    let h = byStatus.get(status);
    if (h === undefined) byStatus.set(status, (h = requests.handle(route, String(status))));
    return h;
  };
  const latencyHandle = (route: string): number => {
    let h = latencyHandles.get(route);
    if (h === undefined) latencyHandles.set(route, (h = requestLatency.handle(route)));
    return h;
  };

  const recordRequest = (route: string, status: number, latencyMs: number): void => {
    requests.add(requestHandle(route, status));
    requestLatency.record(latencyHandle(route), latencyMs);
  };

  return {
    registry,
    recordScored(e) {
      modelLatency.record(0, e.modelMs);
      if (e.explainMs !== undefined) explainLatency.record(0, e.explainMs);
      batchSize.record(0, e.nRows);
      if (e.degraded) fallbacks.inc();
      const results = e.results;
      for (let i = 0; i < results.length; i++) {
        const r = results[i]!;
        const h = scoreHandles[r.score - 1];
        if (h !== undefined) scores.add(h);
        const p = topProbability(r);
        if (p !== null) probability.record(0, p);
      }
      drift?.observe(e.x, e.nRows, results);
      if (e.invalidLeads) invalidLeads.inc(e.invalidLeads);
      // Rare (only flagged leads): prom-client's labelled counter is fine off the per-lead loop.
      if (e.warnings)
        for (const [key, n] of flaggedCounts(e))
          flagged.inc({ feature: key.split('\0')[0]!, code: key.split('\0')[1]! }, n);
    },
    recordRequest,
    recordShadow: (e, outcome) => shadow.record(e, outcome),
    recordShadowSkipped: (reason, leads) => shadow.skipped(reason, leads),
    recordFallback: (n = 1) => fallbacks.inc(n),
    setCircuitOpen: (open) => circuit.set(open ? 1 : 0),
    setCircuitOpenSource(source) {
      circuitSource = source;
    },
    setLakeSource(source) {
      lake = source;
    },
    setDrift(d) {
      drift = d;
    },
    text: () => registry.metrics(),
  };
}
