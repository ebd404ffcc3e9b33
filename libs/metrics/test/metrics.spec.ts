import { AggregatorRegistry } from 'prom-client';
import { FEATURE_NAMES, eventOf, sampleRows } from '../src/testing';
import { createMetrics, type DriftSource } from '../src';

const x = sampleRows(400, 21);

/** A drift window stand-in: counts rows, reports fixed PSI per feature once it has seen `minRows`. */
function fakeDrift(psiOf: (f: number) => number, minRows = 10): DriftSource {
  let rows = 0;
  return {
    get windowRows() {
      return rows;
    },
    observe: (_x, n) => {
      rows += n;
    },
    snapshot: () =>
      rows < minRows
        ? null
        : {
            features: FEATURE_NAMES.map((name, f) => ({ name, psi: psiOf(f), missingRate: 0.25 })),
            maxPsi: Math.max(...FEATURE_NAMES.map((_, f) => psiOf(f))),
            scorePsi: 0.01,
          },
  };
}

describe('createMetrics', () => {
  it('counts requests by route and status and scores by value', async () => {
    const metrics = createMetrics({ featureNames: FEATURE_NAMES, processMetrics: false });
    metrics.recordRequest('/score', 200, 3);
    metrics.recordScored(eventOf(x, 0, 3));
    metrics.recordRequest('/score', 400, 1);
    const text = await metrics.text();
    expect(text).toContain('lead_scoring_requests_total{route="/score",status="200"} 1');
    expect(text).toContain('lead_scoring_requests_total{route="/score",status="400"} 1');
    const scored = [...text.matchAll(/lead_scoring_scores_total\{score="\d"\} (\d+)/g)].reduce(
      (s, m) => s + Number(m[1]),
      0,
    );
    expect(scored).toBe(3);
    expect(text).toContain('lead_scoring_batch_size_sum 3');
    expect(text).toContain('lead_scoring_predicted_probability_count 3');
  });

  it('counts flagged values by feature and code, and invalid leads, from the scored event', async () => {
    const metrics = createMetrics({ featureNames: FEATURE_NAMES, processMetrics: false });
    const flag = (feature: string, code = 'OUT_OF_RANGE') => ({ feature, code });
    metrics.recordScored(
      eventOf(x, 0, 3, {
        warnings: [
          [flag('country_tier'), flag('web_visits_30d', 'NOT_WHOLE_NUMBER')],
          undefined,
          [flag('country_tier')],
        ],
        invalidLeads: 2,
      }),
    );
    metrics.recordScored(eventOf(x, 3, 1, { invalidLeads: 1 }));

    const text = await metrics.text();

    expect(text).toContain('lead_scoring_feature_warnings_total{feature="country_tier",code="OUT_OF_RANGE"} 2');
    expect(text).toContain('lead_scoring_feature_warnings_total{feature="web_visits_30d",code="NOT_WHOLE_NUMBER"} 1');
    expect(text).toContain('lead_scoring_invalid_leads_total 3');
  });

  it('has latency buckets from 1 ms to 1000 ms and beyond', async () => {
    const metrics = createMetrics({ featureNames: FEATURE_NAMES, processMetrics: false });
    metrics.recordRequest('/score', 200, 1500);
    const text = await metrics.text();
    expect(text).toContain('lead_scoring_request_latency_ms_bucket{le="1",route="/score"} 0');
    expect(text).toContain('lead_scoring_request_latency_ms_bucket{le="1000",route="/score"} 0');
    expect(text).toContain('lead_scoring_request_latency_ms_bucket{le="2500",route="/score"} 1');
  });

  it('exposes per-feature PSI and missing rates from the drift window at scrape time', async () => {
    const drift = fakeDrift((f) => f / 100);
    const metrics = createMetrics({ featureNames: FEATURE_NAMES, drift, processMetrics: false });
    metrics.recordScored(eventOf(x, 0, 100));
    const text = await metrics.text();
    expect(text).toContain(`lead_scoring_feature_psi{feature="${FEATURE_NAMES[9]}"} 0.09`);
    expect(text).toContain(`lead_scoring_feature_missing_rate{feature="${FEATURE_NAMES[0]}"} 0.25`);
    expect(text).toContain(`lead_scoring_drift_psi_max ${(FEATURE_NAMES.length - 1) / 100}`);
    expect(text).toContain('lead_scoring_drift_window_rows 100');
  });

  it('reports fallbacks and circuit state', async () => {
    const metrics = createMetrics({ featureNames: FEATURE_NAMES, processMetrics: false });
    metrics.recordScored(eventOf(x, 0, 1, { degraded: true }));
    metrics.setCircuitOpen(true);
    const text = await metrics.text();
    for (const line of ['lead_scoring_scorer_fallbacks_total 1', 'lead_scoring_circuit_open 1'])
      expect(text).toContain(line);
    expect(text).not.toContain('lead_scoring_lake_records_dropped_total');
  });

  it('aggregates workers: counters summed, PSI gauges by max', async () => {
    const drift = (seed: number): DriftSource => {
      const d = fakeDrift((f) => ((f * seed) % 7) / 10);
      d.observe(x, 50, []);
      return d;
    };
    const a = createMetrics({ featureNames: FEATURE_NAMES, drift: drift(1), processMetrics: false });
    const b = createMetrics({ featureNames: FEATURE_NAMES, drift: drift(2), processMetrics: false });
    a.recordRequest('/score', 200, 2);
    a.recordScored(eventOf(x, 0, 2));
    b.recordRequest('/score', 200, 2);
    b.recordScored(eventOf(x, 2, 3));
    const [ja, jb] = await Promise.all([a.registry.getMetricsAsJSON(), b.registry.getMetricsAsJSON()]);
    const text = await AggregatorRegistry.aggregate([ja, jb]).metrics();
    expect(text).toContain('lead_scoring_requests_total{route="/score",status="200"} 2');
    expect(text).toContain('lead_scoring_batch_size_sum 5');
    const psiOf = (t: string): number => Number(/lead_scoring_drift_psi_max (\S+)/.exec(t)?.[1]);
    const [ta, tb] = await Promise.all([a.text(), b.text()]);
    expect(psiOf(text)).toBe(Math.max(psiOf(ta), psiOf(tb)));
  });

  it("reads the local lake's spool counters and folder usage when scraped, and nothing before a source is set", async () => {
    const metrics = createMetrics({ featureNames: FEATURE_NAMES, processMetrics: false });
    const before = await metrics.text();
    metrics.setLakeSource({
      stats: () => ({ leads: 150, writeSeconds: 0.25, failures: 1, unrecorded: 7, unavailable: true }),
      usage: async () => ({
        lakeBytes: 4096,
        lakeFiles: 2,
        oldestPartitionSeconds: 1714546800,
        spoolSegments: 3,
        spoolBytes: 900,
      }),
    });

    const text = await metrics.text();

    expect(before).toContain('lead_scoring_lake_spooled_leads_total 0');
    expect(text).toContain('lead_scoring_lake_spooled_leads_total 150');
    expect(text).toContain('lead_scoring_lake_spool_write_seconds_total 0.25');
    expect(text).toContain('lead_scoring_lake_unrecorded_leads_total 7');
    expect(text).toContain('lead_scoring_lake_spool_unavailable 1');
    expect(text).toContain('lead_scoring_lake_bytes 4096');
    expect(text).toContain('lead_scoring_lake_oldest_partition_timestamp_seconds 1714546800');
    expect(text).toContain('lead_scoring_lake_spool_segments 3');
  });
});

describe('explain time', () => {
  it('is recorded for the batches that asked for reason codes only', async () => {
    const metrics = createMetrics({ featureNames: FEATURE_NAMES, processMetrics: false });
    metrics.recordScored(eventOf(x, 0, 2, { explainMs: 4 }));
    metrics.recordScored(eventOf(x, 2, 2));

    const text = await metrics.text();

    expect(text).toContain('lead_scoring_explain_latency_ms_count 1');
    expect(text).toContain('lead_scoring_explain_latency_ms_sum 4');
  });
});
