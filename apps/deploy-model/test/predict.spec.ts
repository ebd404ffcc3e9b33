import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from './helpers/temp';

const FIXTURES = path.join(__dirname, 'fixtures');
import { runInProcess } from './helpers/in-process';
import { runCli } from './helpers/run-cli';

type Nested = number | Nested[];

const fixture = (name: string): string => path.join(FIXTURES, name);
const expected = (name: string): Record<string, Nested> =>
  JSON.parse(readFileSync(fixture(name), 'utf8')) as Record<string, Nested>;

function shapeOf(value: Nested): number[] {
  return Array.isArray(value) ? [value.length, ...(value.length > 0 ? shapeOf(value[0]!) : [])] : [];
}

function flatten(value: Nested): number[] {
  return Array.isArray(value) ? value.flatMap(flatten) : [value];
}

function expectClose(actual: Nested, want: Nested, tolerance: number): void {
  expect(shapeOf(actual)).toEqual(shapeOf(want));
  const a = flatten(actual);
  const w = flatten(want);
  a.forEach((v, i) => expect(Math.abs(v - w[i]!)).toBeLessThanOrEqual(tolerance + 1e-6 * Math.abs(w[i]!)));
}

async function predict(model: string, input: string, output: string): Promise<Nested> {
  const result = await runInProcess([
    'predict',
    '--model',
    fixture(model),
    '--input',
    fixture(input),
    '--output',
    output,
  ]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const parsed = JSON.parse(result.stdout) as { predictions: Nested };
  expect(Object.keys(parsed)).toEqual(['predictions']);
  return parsed.predictions;
}

describe('deploy-model predict', () => {
  it('prints only {"predictions": ...} on stdout when run as a process (tsx, as npm run deploy-model does)', async () => {
    const result = await runCli([
      'predict',
      '--model',
      fixture('binary-5f.ubj'),
      '--input',
      fixture('rows-5f.csv'),
      '--output',
      'prediction',
    ]);
    expect(result.code).toBe(0);
    expectClose(
      (JSON.parse(result.stdout) as { predictions: Nested }).predictions,
      expected('expected-5f.json')['prediction']!,
      1e-5,
    );
    const bad = await runCli(['predict', '--model', fixture('missing.json'), '--input', fixture('rows-5f.csv')]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/^error \[INPUT_NOT_FOUND\]/);
  }, 180_000);

  it.each([
    ['binary-5f.json', 'rows-5f.json'],
    ['binary-5f.ubj', 'rows-5f.json'],
    ['binary-5f.ubj', 'rows-5f.csv'],
  ])('gives XGBoost predictions, margins and contributions for %s on %s', async (model, input) => {
    const want = expected('expected-5f.json');
    expectClose(await predict(model, input, 'prediction'), want['prediction']!, 1e-5);
    expectClose(await predict(model, input, 'margin'), want['margin']!, 1e-5);
    expectClose(await predict(model, input, 'contribs'), want['contribs']!, 1e-4);
  });

  it('shapes multi:softprob outputs as XGBoost does (rows x classes, rows x classes x features+1)', async () => {
    const want = expected('expected-softprob-5f.json');
    expectClose(await predict('softprob-5f.json', 'rows-5f.csv', 'prediction'), want['prediction']!, 1e-5);
    expectClose(await predict('softprob-5f.json', 'rows-5f.csv', 'margin'), want['margin']!, 1e-5);
    expectClose(await predict('softprob-5f.json', 'rows-5f.json', 'contribs'), want['contribs']!, 1e-4);
  });

  describe('refuses bad input with a message and a non-zero exit, never a stack trace', () => {
    let dir: string;
    beforeAll(() => {
      dir = tempDir();
      writeFileSync(path.join(dir, 'bad.json'), '[[1, 2, 3');
      writeFileSync(path.join(dir, 'short.json'), '[[1, 2, 3, 4]]');
      writeFileSync(path.join(dir, 'bad.csv'), '1,2,x,4,5\n');
      writeFileSync(path.join(dir, 'legacy.bst'), Buffer.from([0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8]));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it.each([
      [
        'a missing model file',
        () => ['--model', path.join(dir, 'nope.json'), '--input', fixture('rows-5f.json')],
        /INPUT_NOT_FOUND.*nope\.json/,
      ],
      [
        'a missing input file',
        () => ['--model', fixture('binary-5f.json'), '--input', path.join(dir, 'nope.csv')],
        /INPUT_NOT_FOUND/,
      ],
      [
        'malformed JSON',
        () => ['--model', fixture('binary-5f.json'), '--input', path.join(dir, 'bad.json')],
        /INPUT_INVALID.*not valid JSON/,
      ],
      [
        'a non-numeric CSV field',
        () => ['--model', fixture('binary-5f.json'), '--input', path.join(dir, 'bad.csv')],
        /INPUT_INVALID.*line 1, field 3/,
      ],
      [
        'a row of the wrong length',
        () => ['--model', fixture('binary-5f.json'), '--input', path.join(dir, 'short.json')],
        /INPUT_SHAPE.*row 0 has 4 values.*expects 5/,
      ],
      [
        'an unsupported model file',
        () => ['--model', path.join(dir, 'legacy.bst'), '--input', fixture('rows-5f.json')],
        /MODEL_INVALID/,
      ],
    ])('%s', async (_what, args, message) => {
      const result = await runInProcess(['predict', ...args()]);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    });

    it('an unknown --output kind exits 2 with the allowed choices', async () => {
      const result = await runInProcess([
        'predict',
        '--model',
        fixture('binary-5f.json'),
        '--input',
        fixture('rows-5f.json'),
        '--output',
        'leaf',
      ]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/prediction, margin, contribs/);
    });
  });
});
