// The intercept (base_score): XGBoost 3.1+ stores one per class for multi-class models, earlier
// versions one for the whole model. Fixtures come from real XGBoost 3.4.1 (make_fixtures.py --xgboost3).
import { EvaluatorError, parseModel } from '../src/index';
import { flatten } from './compare';
import { listModelFixtures, modelBytes, modelJson, type ModelFixture } from './fixtures';

interface Doc {
  learner: { learner_model_param: { base_score: string; num_class: string } };
}

const SKEWED = ['xgb3/multi-softprob-skewed', 'xgb3/multi-softmax-skewed'];

function docOf(path: string): Doc {
  return modelJson(path) as Doc;
}

function withBaseScore(doc: Doc, baseScore: string): Uint8Array {
  const copy = structuredClone(doc);
  copy.learner.learner_model_param.base_score = baseScore;
  return new TextEncoder().encode(JSON.stringify(copy));
}

/** The EvaluatorError that parsing `bytes` throws. */
function refusalOf(bytes: Uint8Array): EvaluatorError {
  try {
    parseModel(bytes);
  } catch (error) {
    if (error instanceof EvaluatorError) return error;
    throw error;
  }
  throw new Error('expected an EvaluatorError, but the model was accepted');
}

function fixture(path: string): ModelFixture {
  const found = listModelFixtures('xgb3').find((f) => f.path === path);
  if (!found) throw new Error(`no fixture ${path}`);
  return found;
}

describe('the XGBoost 3.4.1 multi-class fixtures', () => {
  it.each(SKEWED)('%s stores a base_score vector of distinct per-class values', (path) => {
    const { base_score, num_class } = docOf(path).learner.learner_model_param;

    const values = base_score
      .replace(/^\[|\]$/g, '')
      .split(',')
      .map(Number);

    expect(base_score.startsWith('[')).toBe(true);
    expect(values).toHaveLength(Number(num_class));
    expect(new Set(values).size).toBe(values.length);
    expect(Math.max(...values) - Math.min(...values)).toBeGreaterThan(1);
  });
});

describe('a per-class base_score', () => {
  const path = 'xgb3/multi-softprob-skewed';
  const { expected } = fixture(path);
  const doc = docOf(path);
  const values = doc.learner.learner_model_param.base_score
    .replace(/^\[|\]$/g, '')
    .split(',')
    .map(Number);

  it("moves only its own class's margins and bias contribution", () => {
    const shifted = [...values];
    shifted[2] = shifted[2]! + 1;
    const model = parseModel(withBaseScore(doc, `[${shifted.join(',')}]`));

    const margin = model.predict(expected.rows, 'margin') as number[][];
    const contribs = model.predict(expected.rows, 'contribs') as number[][][];

    const F = expected.num_features;
    (expected.margin as number[][]).forEach((row, r) => {
      row.forEach((want, g) => expect(margin[r]![g]! - want).toBeCloseTo(g === 2 ? 1 : 0, 5));
      (expected.contribs as number[][][])[r]!.forEach((want, g) =>
        expect(contribs[r]![g]![F]! - want[F]!).toBeCloseTo(g === 2 ? 1 : 0, 5),
      );
    });
  });

  it('counts a single value for every class, as XGBoost does for files written before 3.1', () => {
    const asVector = parseModel(withBaseScore(doc, `[${values.map(() => '1E-1').join(',')}]`));
    const asScalar = parseModel(withBaseScore(doc, '1E-1'));
    const asOneElement = parseModel(withBaseScore(doc, '[1E-1]'));

    const want = flatten(asVector.predict(expected.rows, 'margin'));

    expect(flatten(asScalar.predict(expected.rows, 'margin'))).toEqual(want);
    expect(flatten(asOneElement.predict(expected.rows, 'margin'))).toEqual(want);
  });

  it.each([
    ['one value too few', `[${values.slice(1).join(',')}]`, /base_score has 4 values, expected 1 or 5/],
    ['an empty vector', '[]', /base_score has 0 values/],
    ['an unclosed vector', `[${values.join(',')}`, /base_score must be a number or a bracketed list/],
  ])('refuses %s as an invalid model', (_what, baseScore, message) => {
    const error = refusalOf(withBaseScore(doc, baseScore));

    expect(error.code).toBe('MODEL_INVALID');
    expect(error.message).toMatch(message);
  });

  it('refuses two values on a binary model as an invalid model', () => {
    const binary = docOf('xgb3/binary-logistic');

    const error = refusalOf(withBaseScore(binary, '[3E-1,3E-1]'));

    expect(error.code).toBe('MODEL_INVALID');
    expect(error.message).toMatch(/base_score has 2 values, expected 1$/);
  });
});

describe("a logistic model trained on one class (XGBoost 3.4.1 stores base_score '[1E0]')", () => {
  const path = 'xgb3/binary-logistic-one-class';

  it('stores the degenerate base_score the clamp exists for', () => {
    expect(docOf(path).learner.learner_model_param.base_score).toBe('[1E0]');
  });

  it("starts from XGBoost's clamped, finite margin", () => {
    const { expected } = fixture(path);

    const margin = parseModel(modelBytes(path, 'json')).predict(expected.rows, 'margin') as number[];

    expect(margin.every(Number.isFinite)).toBe(true);
    expect(margin).toEqual(expected.margin);
  });
});
