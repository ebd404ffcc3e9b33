import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { exampleFiles, runInit } from './helpers/examples';
import { FIXTURES } from './helpers/bundles';
import { WORKSPACE } from './helpers/run-cli';
import { tempDir } from './helpers/temp';

const GBLINEAR = path.join(
  WORKSPACE,
  'libs',
  'xgboost-evaluator',
  'test',
  'fixtures',
  'unsupported',
  'gblinear.model.json',
);

/** fit-12's sample.csv, each line passed through `edit` (line 0 is the header). */
function editedSample(dir: string, name: string, edit: (fields: string[], line: number) => string[]): string {
  const lines = readFileSync(exampleFiles('fit12').sample, 'utf8').trimEnd().split('\n');
  const file = path.join(dir, name);
  writeFileSync(file, `${lines.map((l, i) => edit(l.split(','), i).join(',')).join('\n')}\n`);
  return file;
}

describe('init refuses', () => {
  let root: string;
  let out: string;
  beforeAll(() => (root = tempDir()));
  beforeEach(() => (out = path.join(root, `out-${Math.random().toString(36).slice(2)}`)));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  async function refusal(
    opts: Partial<Parameters<typeof runInit>[0]>,
    extra: string[] = [],
  ): Promise<{ code: number | null; stderr: string }> {
    const result = await runInit({ ...exampleFiles('fit12'), out, ...opts }, extra);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout).toBe('');
    return result;
  }

  it("an unsupported model, with the evaluator's code in the message, and writes nothing", async () => {
    const result = await refusal({ model: GBLINEAR });

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error \[MODEL_INVALID\]: .*MODEL_UNSUPPORTED_BOOSTER/);
    expect(existsSync(out)).toBe(false);
  });

  it("a sample whose column names differ from the model's, naming the first difference", async () => {
    const sample = editedSample(root, 'renamed.csv', (f, i) =>
      i === 0 ? f.map((n) => (n === 'trial_active_users' ? 'trial_users' : n)) : f,
    );

    const result = await refusal({ sample });

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /\[SAMPLE_COLUMNS_MISMATCH\].*column 3: the model has "trial_active_users", the sample "trial_users"/,
    );
  });

  it("a sample with the model's names in another order, saying so", async () => {
    const sample = editedSample(root, 'swapped.csv', (f) => [f[1]!, f[0]!, ...f.slice(2)]);

    const result = await refusal({ sample });

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /\[SAMPLE_COLUMN_ORDER\].*in another order.*column 1: the model has "seats_requested", the sample "stakeholders_engaged"/,
    );
  });

  it('a sample with columns the model does not use, naming them', async () => {
    const sample = editedSample(root, 'labelled.csv', (f, i) => [...f, i === 0 ? 'closed_won' : '0']);

    const result = await refusal({ sample });

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/\[SAMPLE_EXTRA_COLUMNS\].*"closed_won"/);
  });

  it('an empty sample: a header only, or nothing at all', async () => {
    const headerOnly = editedSample(root, 'header-only.csv', (f, i) => (i === 0 ? f : []));
    writeFileSync(headerOnly, `${readFileSync(headerOnly, 'utf8').split('\n')[0]}\n`);
    const nothing = path.join(root, 'nothing.csv');
    writeFileSync(nothing, '');

    for (const sample of [headerOnly, nothing]) {
      const result = await refusal({ sample });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/\[SAMPLE_EMPTY\]/);
    }
  });

  it("a model whose feature count differs from the sample's", async () => {
    const result = await refusal({ model: path.join(FIXTURES, 'binary-5f.json') });

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/\[SAMPLE_FEATURE_COUNT\]: the model has 5 features; .* has 12 columns/);
  });

  it('a non-numeric value, naming its line and column', async () => {
    const sample = editedSample(root, 'text.csv', (f, i) => (i === 3 ? ['many', ...f.slice(1)] : f));

    const result = await refusal({ sample });

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/\[SAMPLE_INVALID\]: .*line 4, column 1 \(seats_requested\) is "many"/);
  });

  it('a bad --version, --name or --thresholds as a usage error (exit 2)', async () => {
    const cases: [Partial<Parameters<typeof runInit>[0]>, string[], RegExp][] = [
      [{ version: '1.0' }, [], /--version "1.0" is not semver/],
      [{ name: 'Fit_12' }, [], /--name "Fit_12" is not a valid model name/],
      [{}, ['--thresholds', '0.5,0.2,0.6,0.8'], /--thresholds "0.5,0.2,0.6,0.8" must be 4 numbers in ascending order/],
      [{}, ['--thresholds', '0.1,0.2,0.3'], /--thresholds/],
      [
        { ...exampleFiles('intent80') },
        ['--thresholds', '0.1,0.2,0.3,0.4'],
        /--thresholds needs a single-output model/,
      ],
    ];
    for (const [opts, extra, message] of cases) {
      const result = await refusal(opts, extra);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/\[USAGE\]/);
      expect(result.stderr).toMatch(message);
    }
  });

  it('--features naming a feature the model does not have', async () => {
    const spec = path.join(root, 'unknown-spec.json');
    writeFileSync(spec, JSON.stringify({ seats_requested: { unit: 'seats' }, seat_count: { min: 0 } }));

    const result = await refusal({}, ['--features', spec]);

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/\[FEATURES_FILE_INVALID\]: .*"seat_count"/);
  });

  it('--features that make a spec invalid (min above max) or that carry an unknown field', async () => {
    const spec = path.join(root, 'bad-spec.json');
    for (const content of [{ seats_requested: { min: 10, max: 1 } }, { seats_requested: { minimum: 1 } }]) {
      writeFileSync(spec, JSON.stringify(content));
      const result = await refusal({}, ['--features', spec]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/\[FEATURES_FILE_INVALID\]/);
    }
  });

  it('a non-empty --out, leaving what is there untouched (an empty folder is fine)', async () => {
    mkdirSync(out);
    writeFileSync(path.join(out, 'notes.txt'), 'keep me');

    const result = await refusal({});

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/\[OUT_NOT_EMPTY\]/);
    expect(readdirSync(out)).toEqual(['notes.txt']);
    const empty = path.join(root, 'empty');
    mkdirSync(empty);
    expect((await runInit({ ...exampleFiles('fit12'), out: empty })).code).toBe(0);
  });
});
