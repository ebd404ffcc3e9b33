// Property tests: for any row (NaN, +-Infinity, huge values, -0, values on and around split
// thresholds) the evaluator never throws and its margins equal a plain reference traversal
// written here directly over XGBoost's JSON.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseModel, rowsToFloat32, type Model } from '../src/index';
import { PREDICTION_TOLERANCE, flatten, mismatches } from './compare';
import { FIXTURE_DIR, modelBytes, type ModelFormat } from './fixtures';

interface XgbTree {
  left_children: number[];
  right_children: number[];
  split_indices: number[];
  split_conditions: number[];
  default_left: number[];
}

interface XgbJson {
  learner: {
    objective: { name: string };
    learner_model_param: { base_score: string; num_class: string; num_feature: string };
    gradient_booster: { model: { trees: XgbTree[]; tree_info: number[] } };
  };
}

/** XGBoost 1.7 stores base_score as a probability for logistic objectives (not for logitraw,
 *  verified against XGBoost), a mean for Poisson; 2.x wraps it in brackets: "[5E-1]". */
function baseMargin(json: XgbJson, score: number): number {
  const objective = json.learner.objective.name;
  if (objective === 'binary:logistic' || objective === 'reg:logistic') return Math.log(score / (1 - score));
  if (objective === 'count:poisson') return Math.log(score);
  return score;
}

/** The leaf value is split_conditions at the leaf (base_weights is not: it lacks the learning rate). */
function leafValue(tree: XgbTree, row: Float32Array, offset: number): number {
  let node = 0;
  while (tree.left_children[node] !== -1) {
    const value = row[offset + tree.split_indices[node]!]!;
    const goLeft = Number.isNaN(value)
      ? tree.default_left[node] === 1
      : Math.fround(value) < Math.fround(tree.split_conditions[node]!);
    node = goLeft ? tree.left_children[node]! : tree.right_children[node]!;
  }
  return Math.fround(tree.split_conditions[node]!);
}

/** Margins of `nRows` rows, summed per tree_info group in float32 as XGBoost's CPU predictor does. */
/** XGBoost 3.x stores one base_score per class ("[1.5E0,4.8E-1,...]"); a single one counts for every class. */
function baseMargins(json: XgbJson, groups: number): number[] {
  const scores = json.learner.learner_model_param.base_score
    .replace(/^\[|\]$/g, '')
    .split(',')
    .map(Number);
  return Array.from({ length: groups }, (_, g) => Math.fround(baseMargin(json, scores[scores.length === 1 ? 0 : g]!)));
}

function referenceMargins(json: XgbJson, x: Float32Array, nRows: number): number[] {
  const groups = Math.max(1, Number(json.learner.learner_model_param.num_class));
  const bases = baseMargins(json, groups);
  const numFeatures = Number(json.learner.learner_model_param.num_feature);
  const { trees, tree_info } = json.learner.gradient_booster.model;
  const out: number[] = [];
  for (let r = 0; r < nRows; r++) {
    const sums = [...bases];
    trees.forEach((tree, t) => {
      const g = tree_info[t]!;
      sums[g] = Math.fround(sums[g]! + leafValue(tree, x, r * numFeatures));
    });
    out.push(...sums);
  }
  return out;
}

function thresholds(json: XgbJson): number[] {
  return json.learner.gradient_booster.model.trees.flatMap((t) =>
    t.split_conditions.filter((_, n) => t.left_children[n] !== -1).map((c) => Math.fround(c)),
  );
}

/** A threshold itself, the float32 just below it, and float64 values that round onto either. */
function aroundThreshold(t: number): fc.Arbitrary<number> {
  const below = new Float32Array([t]);
  new Uint32Array(below.buffer)[0]! += t > 0 ? -1 : 1;
  const b = below[0]!;
  const ulp = Math.abs(t - b);
  return fc.constantFrom(t, b, t - ulp / 4, b + ulp / 4, -t);
}

function valueArb(json: XgbJson): fc.Arbitrary<number | null> {
  const specials = [NaN, Infinity, -Infinity, -0, 0, 1e30, -1e30, 3.4028234663852886e38, 1e300, -1e300, 5e-324];
  return fc.oneof(
    fc.double(),
    fc.float(),
    fc.double({ min: -1000, max: 1000, noNaN: true }),
    fc.constantFrom(...specials),
    fc.constantFrom(...thresholds(json)).chain(aroundThreshold),
    fc.constant(null),
  );
}

// Hundreds of fast-check cases per model; generous for a loaded 2-core CI machine.
jest.setTimeout(60_000);

const MODELS: [string, ModelFormat][] = [
  ['binary-logistic', 'json'],
  ['binary-logitraw', 'ubj'],
  ['count-poisson', 'json'],
  ['multi-softprob', 'ubj'],
  ['forest-multi', 'json'],
  ['deep', 'ubj'],
  ['reg-squarederror-v2-form', 'json'],
  ['xgb3/multi-softprob-skewed', 'json'],
  ['xgb3/multi-softmax-skewed', 'ubj'],
  ['xgb3/forest-multi', 'ubj'],
];

describe.each(MODELS)('the %s model (%s) on arbitrary rows', (name, format) => {
  const json = JSON.parse(readFileSync(join(FIXTURE_DIR, `${name}.model.json`), 'utf8')) as XgbJson;
  const numFeatures = Number(json.learner.learner_model_param.num_feature);
  const rowsArb = fc.array(fc.array(valueArb(json), { minLength: numFeatures, maxLength: numFeatures }), {
    minLength: 1,
    maxLength: 6,
  });
  let model: Model;

  beforeAll(() => {
    model = parseModel(modelBytes(name, format));
  });

  it('never throws and gives the margins of a plain reference traversal', () => {
    fc.assert(
      fc.property(rowsArb, (rows) => {
        const x = rowsToFloat32(rows, numFeatures);
        const expected = referenceMargins(json, x, rows.length);

        const fromBatch = Array.from(model.predictMarginBatch(x, rows.length));
        const fromRows = flatten(model.predict(rows, 'margin'));

        expect(mismatches(fromBatch, expected, PREDICTION_TOLERANCE)).toEqual([]);
        expect(fromRows).toEqual(fromBatch);
      }),
      { numRuns: 300, seed: 20240 },
    );
  });

  it('gives contributions that add up to the margin in every group', () => {
    fc.assert(
      fc.property(rowsArb, (rows) => {
        const x = rowsToFloat32(rows, numFeatures);
        const margins = model.predictMarginBatch(x, rows.length);
        const contribs = model.predictContribsBatch(x, rows.length);

        const width = numFeatures + 1;
        margins.forEach((margin, i) => {
          const sum = contribs.subarray(i * width, (i + 1) * width).reduce((a, b) => a + b, 0);
          expect(Math.abs(sum - margin)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(margin)));
        });
      }),
      { numRuns: 100, seed: 20241 },
    );
  });

  it("gives one group's contributions that add up to that group's margin", () => {
    fc.assert(
      fc.property(rowsArb, fc.nat(), (rows, shift) => {
        const x = rowsToFloat32(rows, numFeatures);
        const G = model.numGroups;
        const groups = Int32Array.from(rows, (_, r) => (r + shift) % G);
        const margins = model.predictMarginBatch(x, rows.length);

        const contribs = model.predictContribsBatch(x, rows.length, undefined, { group: groups });

        const width = numFeatures + 1;
        for (let r = 0; r < rows.length; r++) {
          const margin = margins[r * G + groups[r]!]!;
          const sum = contribs.subarray(r * width, (r + 1) * width).reduce((a, b) => a + b, 0);
          expect(Math.abs(sum - margin)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(margin)));
        }
      }),
      { numRuns: 100, seed: 20243 },
    );
  });

  it('gives predictions in the range of the objective', () => {
    fc.assert(
      fc.property(rowsArb, (rows) => {
        const x = rowsToFloat32(rows, numFeatures);
        const predictions = model.predictBatch(x, rows.length);

        expect(predictions).toHaveLength(rows.length * model.predictionWidth);
        expect(predictions.every((p) => Number.isFinite(p))).toBe(true);
        if (model.objective === 'multi:softprob') {
          for (let r = 0; r < rows.length; r++) {
            const probs = predictions.subarray(r * model.predictionWidth, (r + 1) * model.predictionWidth);
            expect(Math.abs(probs.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-5);
          }
        }
        if (model.objective.includes('logistic') || model.objective === 'multi:softprob') {
          expect(predictions.every((p) => p >= 0 && p <= 1)).toBe(true);
        }
        if (model.objective === 'count:poisson') expect(predictions.every((p) => p > 0)).toBe(true);
      }),
      { numRuns: 100, seed: 20242 },
    );
  });
});
