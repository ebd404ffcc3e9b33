import { FEATURE_NAMES, eventOf, sampleRows } from '../src/testing';
import { createMetrics, probabilityDistance, type ScoredResult, type ShadowOutcome } from '../src';
import { EmfRecorder } from '../src/emf-door';

const x = sampleRows(20, 7);

/** A shadow whose scores are the production ones shifted by `shift` (clamped to 1..5), with given probabilities. */
function shadowOf(results: readonly ScoredResult[], shift: number, probabilities: number[]): ShadowOutcome {
  return {
    model: { name: 'demo', version: '2.0.0' },
    modelMs: 0.25,
    results: results.map((r) => ({ score: Math.min(5, Math.max(1, r.score + shift)), probabilities })),
  };
}

describe('probabilityDistance', () => {
  it('is |p - q| for binary results', () => {
    expect(probabilityDistance({ score: 4, probability: 0.75 }, { score: 3, probability: 0.5 })).toBe(0.25);
  });

  it('is half the L1 distance of the class probabilities for multi-class results', () => {
    expect(
      probabilityDistance({ score: 1, probabilities: [0.5, 0.5, 0] }, { score: 2, probabilities: [0.25, 0.5, 0.25] }),
    ).toBe(0.25);
  });

  it('is null when the two results carry probabilities of different shapes', () => {
    expect(probabilityDistance({ score: 1, probabilities: [0.5, 0.5] }, { score: 2, probability: 0.5 })).toBeNull();
  });
});

describe('the shadow series of /metrics', () => {
  it('counts each lead in the agreement matrix cell of its production and shadow scores', async () => {
    const metrics = createMetrics({ featureNames: FEATURE_NAMES, processMetrics: false, shadow: true });
    const e = eventOf(x, 0, 10);

    metrics.recordShadow(e, shadowOf(e.results, 1, [0.1, 0.1, 0.1, 0.1, 0.6]));
    const text = await metrics.text();

    const cells = new Map<string, number>();
    for (const r of e.results) {
      const key = `production="${r.score}",shadow="${Math.min(5, r.score + 1)}"`;
      cells.set(key, (cells.get(key) ?? 0) + 1);
    }
    for (const [key, n] of cells) expect(text).toContain(`lead_scoring_shadow_agreement_total{${key}} ${n}`);
    expect(text).toContain('lead_scoring_shadow_agreement_total{production="1",shadow="1"} 0');
    expect(text).toContain('lead_scoring_shadow_probability_diff_count 10');
  });

  it('exposes the mean absolute probability difference as the ratio of the histogram sum to its count', async () => {
    const metrics = createMetrics({ featureNames: FEATURE_NAMES, processMetrics: false, shadow: true });
    const e = eventOf(x, 0, 4);
    const shadow = shadowOf(e.results, 0, [0.2, 0.2, 0.2, 0.2, 0.2]);

    metrics.recordShadow(e, shadow);
    const text = await metrics.text();

    const expected = e.results.reduce((s, r, i) => s + probabilityDistance(r, shadow.results[i]!)!, 0);
    const sum = Number(/lead_scoring_shadow_probability_diff_sum (\S+)/.exec(text)?.[1]);
    expect(sum).toBeCloseTo(expected, 12);
  });

  it('counts skipped leads by reason', async () => {
    const metrics = createMetrics({ featureNames: FEATURE_NAMES, processMetrics: false, shadow: true });

    metrics.recordShadowSkipped('queue_full', 7);
    metrics.recordShadowSkipped('timeout', 2);

    const text = await metrics.text();
    expect(text).toContain('lead_scoring_shadow_skipped_leads_total{reason="queue_full"} 7');
    expect(text).toContain('lead_scoring_shadow_skipped_leads_total{reason="timeout"} 2');
  });

  it('leaves the shadow series out without a shadow model', async () => {
    const metrics = createMetrics({ featureNames: FEATURE_NAMES, processMetrics: false });

    expect(await metrics.text()).not.toContain('lead_scoring_shadow_');
  });
});

describe('the shadow metrics of an EMF document', () => {
  it('carries the non-zero agreement cells, the difference sum and count, and skipped leads', () => {
    const docs: Record<string, unknown>[] = [];
    const emf = new EmfRecorder({ write: (line) => docs.push(JSON.parse(line) as Record<string, unknown>) });
    const e = eventOf(x, 0, 5);
    const shadow = shadowOf(e.results, 0, [0.2, 0.2, 0.2, 0.2, 0.2]);

    emf.recordShadow(e, shadow);
    emf.recordShadowSkipped(3);
    emf.publish();

    const doc = docs[0]!;
    const agreement = Object.keys(doc).filter((k) => k.startsWith('ShadowAgreement.'));
    expect(agreement.reduce((s, k) => s + (doc[k] as number), 0)).toBe(5);
    for (const k of agreement) expect(k).toMatch(/^ShadowAgreement\.P([1-5])\.S\1$/);
    expect([doc['ShadowCompared'], doc['ShadowSkippedLeads'], doc['ShadowModelLatency']]).toEqual([5, 3, 0.25]);
    expect(doc['ShadowProbabilityDiffSum']).toBeCloseTo(5 * 0.4, 12);
  });
});
