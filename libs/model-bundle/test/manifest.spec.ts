import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { featureSpecsFromJson, featureValueProblem } from '@lead-scoring/feature-schema';
import { ManifestSchema, baselineBinIndex, type Manifest } from '../src/manifest';

const demoPath = join(__dirname, '..', '..', '..', 'models', 'demo', 'manifest.json');
const demo = JSON.parse(readFileSync(demoPath, 'utf8')) as Manifest;
const issues = (m: unknown) => ManifestSchema.safeParse(m).error?.issues.map((i) => i.message) ?? [];

describe('ManifestSchema', () => {
  it('accepts the demo manifest and keeps its extra keys', () => {
    const parsed = ManifestSchema.parse(demo);

    expect(parsed.features).toHaveLength(50);
    expect(parsed.features[0]).toMatchObject({
      name: 'company_employees',
      min: 1,
      max: 500_000,
      integer: true,
      allow_missing: true,
    });
    expect(parsed.score_mapping).toEqual({ type: 'class_plus_one' });
    expect(parsed['training']).toBeDefined();
  });

  it('rejects class_plus_one on a binary objective', () => {
    expect(issues({ ...demo, objective: 'binary:logistic', num_class: 0 })).toEqual([
      'class_plus_one needs a multi:softprob or multi:softmax objective with num_class 5',
    ]);
  });

  it('accepts probability_cutpoints on a binary objective, rejects them unsorted', () => {
    const binary = { ...demo, objective: 'binary:logistic', num_class: 0 };

    expect(
      issues({ ...binary, score_mapping: { type: 'probability_cutpoints', cutpoints: [0.2, 0.4, 0.6, 0.8] } }),
    ).toEqual([]);
    expect(
      issues({ ...binary, score_mapping: { type: 'probability_cutpoints', cutpoints: [0.2, 0.6, 0.4, 0.8] } }),
    ).toEqual(['cutpoints must be strictly ascending']);
  });

  it('accepts class_scores with one score per class and thresholds on a single-output objective', () => {
    const regression = { ...demo, objective: 'reg:squarederror', num_class: 0 };

    expect(issues({ ...demo, score_mapping: { type: 'class_scores', scores: [1, 2, 3, 4, 5] } })).toEqual([]);
    expect(issues({ ...demo, score_mapping: { type: 'class_scores', scores: [1, 5] } })).toEqual([
      'class_scores needs a multi-class objective and one score per class (num_class 5)',
    ]);
    expect(issues({ ...regression, score_mapping: { type: 'thresholds', thresholds: [-2, 0, 0, 7.5] } })).toEqual([]);
    expect(issues({ ...regression, score_mapping: { type: 'thresholds', thresholds: [1, 0, 2, 3] } })).toEqual([
      'thresholds must be in ascending order',
    ]);
    expect(issues({ ...demo, score_mapping: { type: 'thresholds', thresholds: [1, 2, 3, 4] } })).toEqual([
      'thresholds need a single-output objective, not multi:softprob',
    ]);
  });

  it('rejects probability_cutpoints on a multi-class objective', () => {
    const m = { ...demo, score_mapping: { type: 'probability_cutpoints', cutpoints: [0.2, 0.4, 0.6, 0.8] } };

    expect(issues(m)[0]).toMatch(/probability_cutpoints needs an objective giving a probability/);
  });

  it('rejects a malformed sha256, an unknown objective and a missing baseline', () => {
    expect(issues({ ...demo, sha256: 'ABC' })).toEqual(['sha256 must be 64 lowercase hex digits']);
    expect(issues({ ...demo, objective: 'rank:pairwise' })).toHaveLength(1);
    expect(issues({ ...demo, baseline: undefined })).toHaveLength(1);
  });

  it('rejects baseline bins whose proportions do not fit the edges', () => {
    const f = 'company_employees';
    const features = { ...demo.baseline.features, [f]: { edges: [1, 2], proportions: [0.5, 0.5], missing_rate: 0 } };

    expect(issues({ ...demo, baseline: { ...demo.baseline, features } })).toEqual([
      'proportions must have edges.length + 1 entries',
    ]);
  });

  it('requires a baseline entry for every feature', () => {
    const features = { ...demo.baseline.features };
    delete features['intent_score'];

    expect(issues({ ...demo, baseline: { ...demo.baseline, features } })).toEqual(['no baseline for intent_score']);
  });
});

describe('the demo manifest', () => {
  it('has reference rows the feature schema accepts', () => {
    const rows = demo.reference!.rows;
    const specs = featureSpecsFromJson(demo.features);
    const problems = rows.flatMap((row) => row.flatMap((v, i) => featureValueProblem(specs[i]!, v) ?? []));

    expect(rows).toHaveLength(20);
    expect(problems).toEqual([]);
  });

  it('has reference predictions covering every score', () => {
    const scores = new Set(demo.reference!.predictions.map((p) => p.indexOf(Math.max(...p)) + 1));

    expect([...scores].sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('has baseline proportions summing to 1 for every feature and for the scores', () => {
    const sums = Object.values(demo.baseline.features).map((b) => b.proportions.reduce((a, x) => a + x, 0));

    for (const s of [...sums, demo.baseline.scores.proportions.reduce((a, x) => a + x, 0)]) expect(s).toBeCloseTo(1, 4);
    expect(Object.keys(demo.baseline.features)).toEqual(featureSpecsFromJson(demo.features).map((s) => s.name));
  });
});

describe('baselineBinIndex', () => {
  it('puts a value equal to an edge in the bin that edge closes', () => {
    const edges = [1, 5, 10];

    expect([0, 1, 1.5, 5, 7, 10, 11].map((v) => baselineBinIndex(edges, v))).toEqual([0, 0, 1, 1, 2, 2, 3]);
  });

  it('sends values beyond the demo edges to the first and last bins', () => {
    const { edges, proportions } = demo.baseline.features['web_visits_30d']!;

    expect(proportions).toHaveLength(edges.length + 1);
    expect(baselineBinIndex(edges, -1)).toBe(0);
    expect(baselineBinIndex(edges, 1e9)).toBe(edges.length);
  });
});
