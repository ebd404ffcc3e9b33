import { DEMO_BUNDLE_DIR, loadBundle, type ModelBundle } from '@lead-scoring/model-bundle';
import { rowsToFloat32, type Model } from '@lead-scoring/xgboost-evaluator';
import { InProcessScorer } from '../src/inprocess-scorer';

let bundle: ModelBundle;
beforeAll(async () => {
  bundle = await loadBundle(DEMO_BUNDLE_DIR);
});

describe('InProcessScorer', () => {
  it("scores the demo reference rows with XGBoost's probabilities, score = argmax + 1", () => {
    const { rows, predictions } = bundle.manifest.reference!;
    const scorer = new InProcessScorer(bundle);

    const out = scorer.scoreSync({ x: rowsToFloat32(rows, bundle.contract.size), nRows: rows.length });

    expect(out.degraded).toBe(false);
    expect(out.results).toHaveLength(rows.length);
    out.results.forEach((r, i) => {
      const expected = predictions[i]!;
      r.probabilities!.forEach((p, k) => expect(p).toBeCloseTo(expected[k]!, 6));
      expect(r.score).toBe(expected.indexOf(Math.max(...expected)) + 1);
    });
    expect(scorer.model).toEqual({ name: bundle.manifest.name, version: bundle.manifest.version });
  });

  it('gives the same answers when a large batch follows a small one (reused buffer)', () => {
    const { rows } = bundle.manifest.reference!;
    const scorer = new InProcessScorer(bundle);
    const one = scorer.scoreSync({ x: rowsToFloat32(rows.slice(0, 1), bundle.contract.size), nRows: 1 }).results[0];

    const many = Array.from({ length: 200 }, (_, i) => rows[i % rows.length]!);
    const all = scorer.scoreSync({ x: rowsToFloat32(many, bundle.contract.size), nRows: many.length }).results;

    expect(all[0]).toEqual(one);
    expect(all[rows.length]).toEqual(one);
  });

  it('explains with the N largest TreeSHAP contributions of the predicted class, as sent', async () => {
    const row = bundle.manifest.reference!.rows[0]!;
    const scorer = new InProcessScorer(bundle);

    const { results } = await scorer.score({ x: rowsToFloat32([row], bundle.contract.size), nRows: 1, explain: 4 });

    const reasons = results[0]!.reasons!;
    const contribs = bundle.model.predict([row], 'contribs') as number[][][];
    const group = contribs[0]![results[0]!.score - 1]!;
    const expected = bundle.contract.names
      .map((f, j) => ({ f, c: group[j]! }))
      .sort((a, b) => Math.abs(b.c) - Math.abs(a.c))
      .slice(0, 4);
    expect(reasons.map((r) => r.feature)).toEqual(expected.map((e) => e.f));
    reasons.forEach((r, k) => {
      expect(r.contribution).toBeCloseTo(expected[k]!.c, 6);
      const j = bundle.contract.names.indexOf(r.feature);
      expect(r.value).toBe(row[j] ?? null);
    });
  });

  it('answers a 1-lead request started while a 1,000-lead explain request is in progress first', async () => {
    const { rows } = bundle.manifest.reference!;
    const many = Array.from({ length: 1000 }, (_, i) => rows[i % rows.length]!);
    const scorer = new InProcessScorer(bundle);
    const finished: string[] = [];

    const large = scorer
      .score({ x: rowsToFloat32(many, bundle.contract.size), nRows: many.length, explain: 3 })
      .then(() => finished.push('large'));
    const small = scorer
      .score({ x: rowsToFloat32(rows.slice(0, 1), bundle.contract.size), nRows: 1, explain: 3 })
      .then(() => finished.push('small'));
    await Promise.all([large, small]);

    expect(finished).toEqual(['small', 'large']);
  });

  it('gives the same reason codes explaining in slices as in one go, and says how long explaining took', async () => {
    const { rows } = bundle.manifest.reference!;
    const many = Array.from({ length: 300 }, (_, i) => rows[(i * 7) % rows.length]!);
    const batch = { x: rowsToFloat32(many, bundle.contract.size), nRows: many.length, explain: 5 };

    const sliced = await new InProcessScorer(bundle, { explainSliceMs: 0.01 }).score(batch);
    const whole = new InProcessScorer(bundle).scoreSync(batch);

    expect(sliced.results).toEqual(whole.results);
    expect(sliced.results.every((r) => r.reasons?.length === 5)).toBe(true);
    expect(sliced.explainMs).toBeGreaterThan(0);
    expect(sliced.modelMs).toBeGreaterThanOrEqual(sliced.explainMs!);
  });

  it('reports no explain time when no reason codes were asked for', async () => {
    const row = bundle.manifest.reference!.rows[0]!;

    const out = await new InProcessScorer(bundle).score({ x: rowsToFloat32([row], bundle.contract.size), nRows: 1 });

    expect(out.explainMs).toBeUndefined();
    expect(out.results[0]!.reasons).toBeUndefined();
  });

  it('reports `probability` and cut-point scores for a binary model', () => {
    const fake: Partial<Model> = {
      objective: 'binary:logistic',
      numFeatures: 50,
      numGroups: 1,
      predictionWidth: 1,
      predictBatch: (_x, n, out) => {
        const o = out ?? new Float64Array(n);
        for (let i = 0; i < n; i++) o[i] = [0.05, 0.3, 0.95][i]!;
        return o;
      },
    };
    const binary = {
      ...bundle,
      model: fake as Model,
      manifest: {
        ...bundle.manifest,
        objective: 'binary:logistic',
        score_mapping: { type: 'probability_cutpoints', cutpoints: [0.1, 0.25, 0.5, 0.9] },
      },
    } as ModelBundle;

    const { results } = new InProcessScorer(binary).scoreSync({ x: new Float32Array(150), nRows: 3 });

    expect(results).toEqual([
      { score: 1, probability: 0.05 },
      { score: 3, probability: 0.3 },
      { score: 5, probability: 0.95 },
    ]);
  });

  it('reports the raw `prediction` and threshold scores for a regression model', () => {
    const fake: Partial<Model> = {
      objective: 'reg:squarederror',
      numFeatures: 50,
      numGroups: 1,
      predictionWidth: 1,
      predictBatch: (_x, n, out) => {
        const o = out ?? new Float64Array(n);
        for (let i = 0; i < n; i++) o[i] = [-3, 12.5][i]!;
        return o;
      },
    };
    const regression = {
      ...bundle,
      model: fake as Model,
      manifest: {
        ...bundle.manifest,
        objective: 'reg:squarederror',
        num_class: 0,
        score_mapping: { type: 'thresholds', thresholds: [0, 5, 10, 20] },
      },
    } as ModelBundle;

    const { results } = new InProcessScorer(regression).scoreSync({ x: new Float32Array(100), nRows: 2 });

    expect(results).toEqual([
      { score: 1, prediction: -3 },
      { score: 4, prediction: 12.5 },
    ]);
  });
});
