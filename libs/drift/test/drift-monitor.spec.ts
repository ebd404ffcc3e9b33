import { FEATURE_NAMES, NUM_FEATURES, baselineFrom, eventOf, sampleRows } from './fixtures';
import { DriftAccumulator, DriftMonitor, psi } from '../src';

const two = {
  features: { a: { edges: [0, 1, 2], proportions: [0.5, 0.5], missing_rate: 0 } },
  scores: { proportions: [0.2, 0.2, 0.2, 0.2, 0.2] },
};

describe('DriftAccumulator', () => {
  it('computes a feature PSI equal to the hand value of its slot proportions', () => {
    const acc = new DriftAccumulator({ baseline: two, featureNames: ['a'] });
    // 1 row below the cut, 3 above, none missing: actual = [0, 0.25, 0.75], expected = [0, 0.5, 0.5]
    for (const v of [0.5, 1.5, 1.7, 1.9]) acc.addRow([v], 0, 3);
    const snap = acc.snapshot();
    expect(snap.features[0]?.psi).toBeCloseTo(psi([0, 0.5, 0.5], [0, 0.25, 0.75]), 12);
    expect(snap.features[0]?.psi).toBeCloseTo(0.274653, 6);
    expect(snap.maxPsi).toBe(snap.features[0]?.psi);
  });

  it('counts missing values in their own bin and reports the missing rate', () => {
    const acc = new DriftAccumulator({ baseline: two, featureNames: ['a'] });
    for (const v of [NaN, 0.5, 1.5, NaN]) acc.addRow([v], 0, 1);
    const f = acc.snapshot().features[0];
    expect(f?.missingRate).toBe(0.5);
    expect(f?.actual).toEqual([0.5, 0.25, 0.25]);
  });

  it('compares the score distribution with the baseline', () => {
    const acc = new DriftAccumulator({ baseline: two, featureNames: ['a'] });
    for (let i = 0; i < 10; i++) acc.addRow([1], 0, 5);
    const snap = acc.snapshot();
    expect(snap.scores.actual).toEqual([0, 0, 0, 0, 1]);
    expect(snap.scorePsi).toBeCloseTo(psi([0.2, 0.2, 0.2, 0.2, 0.2], [0, 0, 0, 0, 1]), 12);
  });

  it('reports no PSI for a feature without a baseline', () => {
    const acc = new DriftAccumulator({ baseline: two, featureNames: ['a', 'b'] });
    acc.addRow([1, NaN], 0, 1);
    expect(acc.snapshot().features[1]).toMatchObject({ name: 'b', psi: null, missingRate: 1 });
  });
});

describe('DriftMonitor', () => {
  const x = sampleRows(3000, 11);
  const baseline = baselineFrom(x, 3000);

  it('reports nothing until the window holds minRows rows', () => {
    const drift = new DriftMonitor({ baseline, featureNames: FEATURE_NAMES, minRows: 100 });
    drift.observe(eventOf(x, 0, 50).x, 50, eventOf(x, 0, 50).results);
    expect(drift.snapshot()).toBeNull();
  });

  it('stays below the watch threshold on rows from the training distribution', () => {
    const fresh = sampleRows(2000, 12);
    const drift = new DriftMonitor({ baseline, featureNames: FEATURE_NAMES, windowSize: 2000 });
    for (let i = 0; i < 2000; i += 100) drift.observe(eventOf(fresh, i, 100).x, 100, eventOf(fresh, i, 100).results);
    expect(drift.snapshot()?.maxPsi).toBeLessThan(0.1);
  });

  it('keeps only the newest windowSize rows, so a shift shows once it fills the window', () => {
    const drift = new DriftMonitor({
      baseline,
      featureNames: FEATURE_NAMES,
      windowSize: 500,
      minRows: 10,
      maxAgeMs: 0,
    });
    const shifted = sampleRows(500, 13);
    const f = FEATURE_NAMES.indexOf('web_visits_30d');
    for (let r = 0; r < 500; r++) shifted[r * NUM_FEATURES + f] = 1e6;
    drift.observe(x.slice(0, 500 * NUM_FEATURES), 500, eventOf(x, 0, 500).results);
    expect(drift.snapshot()?.features[f]?.psi).toBeLessThan(0.1);
    drift.observe(shifted, 500, eventOf(shifted, 0, 500).results);
    expect(drift.windowRows).toBe(500);
    expect(drift.snapshot()?.features[f]?.psi).toBeGreaterThan(0.25);
  });

  it('holds the same window whether rows arrive one by one or in batches that wrap around the ring', () => {
    const x = sampleRows(300, 5);
    const baseline = baselineFrom(x, 300);
    const opts = { baseline, featureNames: FEATURE_NAMES, windowSize: 37, minRows: 1 };
    const single = new DriftMonitor(opts);
    const batched = new DriftMonitor(opts);
    for (let i = 0; i < 300; i++) single.observe(x.subarray(i * NUM_FEATURES), 1, eventOf(x, i, 1).results);
    for (let i = 0, n = 1; i < 300; i += n, n = (n % 50) + 7) {
      const k = Math.min(n, 300 - i);
      batched.observe(x.subarray(i * NUM_FEATURES), k, eventOf(x, i, k).results);
    }
    expect(batched.windowRows).toBe(37);
    expect(batched.snapshot()).toEqual(single.snapshot());
  });

  it('reuses a fresh snapshot instead of recomputing on every scrape', () => {
    let now = 0;
    const drift = new DriftMonitor({
      baseline,
      featureNames: FEATURE_NAMES,
      minRows: 1,
      maxAgeMs: 1000,
      now: () => now,
    });
    drift.observe(eventOf(x, 0, 10).x, 10, eventOf(x, 0, 10).results);
    const first = drift.snapshot();
    drift.observe(eventOf(x, 10, 10).x, 10, eventOf(x, 10, 10).results);
    expect(drift.snapshot()).toBe(first);
    now = 1500;
    expect(drift.snapshot()?.n).toBe(20);
  });
});
