import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadBundle, mapScore, type Manifest } from '@lead-scoring/model-bundle';
import { EPOCH, exampleFiles, expectedOf, manifestOf, runInit, type ExampleName } from './helpers/examples';
import { runInProcess } from './helpers/in-process';
import { envWithoutAws, runCli } from './helpers/run-cli';
import { FIXTURES } from './helpers/bundles';
import { tempDir } from './helpers/temp';

/** rows-5f.csv (no header) behind a header of the names a..e: a sample for the 5-feature fixtures without names. */
function fiveFeatureSample(dir: string): string {
  const file = path.join(dir, 'five.csv');
  writeFileSync(file, `a,b,c,d,e\n${readFileSync(path.join(FIXTURES, 'rows-5f.csv'), 'utf8')}`);
  return file;
}

const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flat) : [Number(v)]);

describe('init', () => {
  jest.setTimeout(60_000);
  let root: string;
  const made: Partial<Record<ExampleName, string>> = {};
  beforeAll(async () => {
    root = tempDir();
    for (const name of ['fit12', 'intent80'] as const) {
      const out = path.join(root, name);
      const result = await runInit({ ...exampleFiles(name), out, name: name === 'fit12' ? 'fit-12' : 'intent-80' });
      if (result.code !== 0) throw new Error(`init ${name} failed: ${result.stderr}`);
      made[name] = out;
    }
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it.each(['fit12', 'intent80'] as const)(
    'makes an example bundle (%s) that loads and predicts as XGBoost did on expected.json (within 1e-6)',
    async (name) => {
      const bundle = await loadBundle(made[name]!);
      const expected = expectedOf(name);

      const got = flat(bundle.model.predict(expected.rows, 'prediction'));

      const want = flat(expected.predictions);
      expect(got).toHaveLength(want.length);
      expect(Math.max(...got.map((g, i) => Math.abs(g - want[i]!)))).toBeLessThanOrEqual(1e-6);
      expect(readFileSync(path.join(made[name]!, 'xgboost-model')).equals(readFileSync(exampleFiles(name).model))).toBe(
        true,
      );
    },
  );

  it.each(['fit12', 'intent80'] as const)(
    'makes an example bundle (%s) that validate accepts, reference predictions included',
    async (name) => {
      const result = await runInProcess(['validate', '--model', made[name]!]);

      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ reference: { rows: 20, maxAbsDiff: 0 } });
    },
  );

  it('writes the fit-12 manifest: format, objective, num_class 0, version, created_at and where it came from', () => {
    const m = manifestOf(made.fit12!);

    expect(m).toMatchObject({
      name: 'fit-12',
      version: '1.0.0',
      created_at: '2026-01-01T00:00:00Z',
      framework: { name: 'xgboost', version: '1.7.4' },
      model_file: 'xgboost-model',
      model_format: 'json',
      objective: 'binary:logistic',
      num_class: 0,
      init: { model: 'model.json', sample: 'sample.csv', rows: 1000 },
    });
    expect(m.features.map((f) => f['name'])).toEqual(expectedOf('fit12').feature_names);
  });

  it('infers ranges, whole numbers, kinds and missing values from the fit-12 sample', () => {
    const byName = new Map(manifestOf(made.fit12!).features.map((f) => [f['name'], f]));

    expect(byName.get('seats_requested')).toEqual({
      name: 'seats_requested',
      description: '',
      unit: '',
      kind: 'count',
      min: 1,
      max: 188,
      integer: true,
      allow_missing: true,
    });
    expect(byName.get('stakeholders_engaged')).toMatchObject({
      kind: 'count',
      min: 0,
      integer: true,
      allow_missing: false,
    });
    expect(byName.get('sso_requested')).toMatchObject({
      kind: 'flag',
      min: 0,
      max: 1,
      integer: true,
      allow_missing: false,
    });
    expect(byName.get('icp_match_ratio')).toMatchObject({ kind: 'ratio', integer: false, allow_missing: true });
    expect(byName.get('it_spend_growth_12m')).toMatchObject({
      kind: 'number',
      min: -0.4125,
      max: 0.597,
      integer: false,
      allow_missing: true,
    });
    expect(byName.get('opportunity_amount_usd')).toMatchObject({
      min: 500,
      max: 784881,
      integer: true,
      allow_missing: true,
    });
  });

  it('picks fit-12 thresholds that make each score 1..5 hold 20% ± 2% of the sample', async () => {
    const bundle = await loadBundle(made.fit12!);
    const manifest: Manifest = bundle.manifest;
    const sample = readFileSync(exampleFiles('fit12').sample, 'utf8').trim().split('\n').slice(1);
    const rows = sample.map((line) => line.split(',').map((v) => (v === '' ? null : Number(v))));

    const predictions = Float64Array.from(flat(bundle.model.predict(rows, 'prediction')));
    const counts = [0, 0, 0, 0, 0];
    predictions.forEach((_, r) => counts[mapScore(manifest, predictions, r, 1) - 1]!++);

    expect(manifest.score_mapping.type).toBe('thresholds');
    for (const c of counts) expect(Math.abs(c / rows.length - 0.2)).toBeLessThanOrEqual(0.02);
    for (const p of manifest.baseline.scores.proportions) expect(Math.abs(p - 0.2)).toBeLessThanOrEqual(0.02);
  });

  it('maps the 5-class intent-80 model with class_plus_one and records its UBJSON format', () => {
    const m = manifestOf(made.intent80!);

    expect(m).toMatchObject({
      model_format: 'ubj',
      objective: 'multi:softprob',
      num_class: 5,
      score_mapping: { type: 'class_plus_one' },
    });
    const byName = new Map(m.features.map((f) => [f['name'], f]));
    expect(byName.get('page_pricing_views_14d')).toMatchObject({
      kind: 'count',
      min: 0,
      integer: true,
      allow_missing: false,
    });
    expect(byName.get('content_ebook_downloaded')).toMatchObject({
      kind: 'flag',
      min: 0,
      max: 1,
      allow_missing: false,
    });
    expect(byName.get('topic_cloud_security_surge_score')).toMatchObject({
      kind: 'number',
      min: 0,
      integer: false,
      allow_missing: true,
    });
  });

  it('writes a reference that covers every score the sample gets and the rows with the most missing values', async () => {
    const bundle = await loadBundle(made.intent80!);
    const ref = bundle.manifest.reference!;

    const scores = new Set(ref.predictions.map((p) => mapScore(bundle.manifest, p, 0, p.length)));
    expect(ref.rows).toHaveLength(20);
    expect([...scores].sort()).toEqual([1, 2, 3, 4, 5]);
    expect(Math.max(...ref.rows.map((r) => r.filter((v) => v === null).length))).toBeGreaterThanOrEqual(16);
  });

  it('makes bundles that package works on unchanged', async () => {
    for (const dir of [made.fit12!, made.intent80!]) {
      const out = path.join(root, `${path.basename(dir)}.tar.gz`);
      const result = await runInProcess(['package', '--model', dir, '--out', out]);
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ out, layout: 'bundle' });
    }
  });

  it('takes the feature names from the sample header when the model file has none', async () => {
    const out = path.join(root, 'unnamed');

    const result = await runInit({
      model: path.join(FIXTURES, 'binary-5f.json'),
      sample: fiveFeatureSample(root),
      out,
    });

    expect(result.code).toBe(0);
    const bundle = await loadBundle(out);
    expect(bundle.contract.names).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(bundle.manifest.score_mapping.type).toBe('thresholds');
  });

  it('spreads the classes of a 3-class model over the scores with class_scores [1, 3, 5]', async () => {
    const out = path.join(root, 'three-classes');

    const result = await runInit({
      model: path.join(FIXTURES, 'softprob-5f.json'),
      sample: fiveFeatureSample(root),
      out,
    });

    expect(result.code).toBe(0);
    expect(manifestOf(out)).toMatchObject({
      objective: 'multi:softprob',
      num_class: 3,
      score_mapping: { type: 'class_scores', scores: [1, 3, 5] },
    });
    expect((await runInProcess(['validate', '--model', out])).code).toBe(0);
  });

  it('lands --features overrides in the manifest, a null bound making it unbounded', async () => {
    const spec = path.join(root, 'spec.json');
    writeFileSync(
      spec,
      JSON.stringify({
        seats_requested: { description: 'Seats on the quote.', unit: 'seats', min: 1, max: null },
        sso_requested: { allow_missing: true },
      }),
    );
    const out = path.join(root, 'overrides');

    const result = await runInit({ ...exampleFiles('fit12'), out }, ['--features', spec]);

    expect(result.code).toBe(0);
    const byName = new Map(manifestOf(out).features.map((f) => [f['name'], f]));
    expect(byName.get('seats_requested')).toEqual({
      name: 'seats_requested',
      description: 'Seats on the quote.',
      unit: 'seats',
      kind: 'count',
      min: 1,
      integer: true,
      allow_missing: true,
    });
    expect(byName.get('sso_requested')).toMatchObject({ kind: 'flag', allow_missing: true });
  });

  it('lands --thresholds in the manifest and scores the baseline with them', async () => {
    const out = path.join(root, 'thresholds');

    const result = await runInit({ ...exampleFiles('fit12'), out }, ['--thresholds', '0.1,0.3,0.5,0.7']);

    expect(result.code).toBe(0);
    const m = manifestOf(out) as unknown as Manifest;
    expect(m.score_mapping).toEqual({ type: 'thresholds', thresholds: [0.1, 0.3, 0.5, 0.7] });
    expect(m.baseline.scores.proportions[0]).toBeGreaterThan(0.3);
  });

  it('writes a byte-identical manifest on every run with SOURCE_DATE_EPOCH set, in process or as npm runs it', async () => {
    const a = path.join(root, 'again-a');
    const b = path.join(root, 'again-b');

    await runInit({ ...exampleFiles('intent80'), out: a, name: 'intent-80' });
    const spawned = await runCli(
      [
        'init',
        '--model',
        exampleFiles('intent80').model,
        '--sample',
        exampleFiles('intent80').sample,
        '--out',
        b,
        '--name',
        'intent-80',
        '--version',
        '1.0.0',
      ],
      { env: envWithoutAws({ SOURCE_DATE_EPOCH: EPOCH }) },
    );

    expect(spawned.code).toBe(0);
    expect(spawned.stderr).toMatch(/next:\n.*validate --model/);
    const first = readFileSync(path.join(made.intent80!, 'manifest.json'));
    expect(readFileSync(path.join(a, 'manifest.json')).equals(first)).toBe(true);
    expect(readFileSync(path.join(b, 'manifest.json')).equals(first)).toBe(true);
  });
});
