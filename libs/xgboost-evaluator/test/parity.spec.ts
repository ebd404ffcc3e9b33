// Parity with real XGBoost 1.7.4 and 3.4.1: every fixture model, JSON and UBJSON, against the margins,
// predictions and contributions XGBoost's Python `predict` returned (tools/xgboost/make_fixtures.py).
import { parseModel, rowsToFloat32, type Model, type OutputKind } from '../src/index';
import { CONTRIBS_TOLERANCE, PREDICTION_TOLERANCE, flatten, mismatches, shapeOf, type Nested } from './compare';
import {
  decodeRows,
  listAllModelFixtures,
  listModelFixtures,
  modelBytes,
  type Expected,
  type FixtureSet,
  type ModelFormat,
} from './fixtures';

// Contributions of the 50-feature and 520-tree models take a while on a loaded 2-core CI machine.
jest.setTimeout(60_000);

const FIXTURES = listAllModelFixtures();
const CASES = FIXTURES.flatMap((f) => f.formats.map((format) => [f.path, format, f.expected] as const));
const SETS: [string, FixtureSet][] = [
  ['1.7.4', ''],
  ['3.4.1', 'xgb3'],
];
const OUTPUTS: OutputKind[] = ['margin', 'prediction', 'contribs'];
const EXACT = { relative: 0, absolute: 0 };

function expectedVersion(expected: Expected): [number, number, number] {
  if (expected.derived_from) return [2, 1, 4];
  return expected.xgboost_version.split('.').map(Number) as [number, number, number];
}

describe.each(SETS)('the XGBoost %s fixture set', (version, set) => {
  const fixtures = listModelFixtures(set);

  it('was written by that XGBoost version', () => {
    expect(new Set(fixtures.filter((f) => !f.expected.derived_from).map((f) => f.expected.xgboost_version))).toEqual(
      new Set([version]),
    );
  });

  it('covers every supported objective, in JSON and UBJSON', () => {
    const objectives = new Set(fixtures.filter((f) => f.formats.length === 2).map((f) => f.expected.objective));

    expect([...objectives].sort()).toEqual([
      'binary:logistic',
      'binary:logitraw',
      'count:poisson',
      'multi:softmax',
      'multi:softprob',
      'reg:logistic',
      'reg:pseudohubererror',
      'reg:squarederror',
    ]);
  });
});

describe.each(CASES)('the %s model read from %s', (path: string, format: ModelFormat, expected: Expected) => {
  let model: Model;
  const numGroups = Math.max(1, expected.num_class);

  beforeAll(() => {
    model = parseModel(modelBytes(path, format));
  });

  it('reports the objective, feature count, classes, trees, names and version XGBoost saved', () => {
    expect({
      objective: model.objective,
      numFeatures: model.numFeatures,
      numGroups: model.numGroups,
      numClass: model.numClass,
      predictionWidth: model.predictionWidth,
      numTrees: model.numTrees,
      featureNames: model.featureNames,
      version: [...model.version],
    }).toEqual({
      objective: expected.objective,
      numFeatures: expected.num_features,
      numGroups,
      numClass: expected.objective.startsWith('binary:') ? 2 : expected.num_class,
      predictionWidth: expected.objective === 'multi:softprob' ? numGroups : 1,
      numTrees: expected.num_trees,
      featureNames: expected.feature_names ?? undefined,
      version: expectedVersion(expected),
    });
  });

  it.each(OUTPUTS)("returns XGBoost's %s for every fixture row, in XGBoost's shape", (output) => {
    const got = model.predict(expected.rows, output);

    expect(shapeOf(got)).toEqual(shapeOf(expected[output]));
    const tolerance = output === 'contribs' ? CONTRIBS_TOLERANCE : PREDICTION_TOLERANCE;
    expect(mismatches(got, expected[output] as Nested, tolerance)).toEqual([]);
  });

  it("returns XGBoost's margins bit for bit, on every fixture row and on rows holding +-Infinity", () => {
    const margin = model.predict(expected.rows, 'margin');
    const infMargin = model.predict(decodeRows(expected.inf_rows), 'margin');

    expect(mismatches(margin, expected.margin, EXACT)).toEqual([]);
    expect(mismatches(infMargin, expected.inf_margin, EXACT)).toEqual([]);
  });

  it("returns XGBoost's margin and prediction for rows holding +-Infinity and float32 overflow", () => {
    const rows = decodeRows(expected.inf_rows);

    const margin = model.predict(rows, 'margin');
    const prediction = model.predict(rows, 'prediction');

    expect(mismatches(margin, expected.inf_margin, PREDICTION_TOLERANCE)).toEqual([]);
    expect(mismatches(prediction, expected.inf_prediction, PREDICTION_TOLERANCE)).toEqual([]);
  });

  it('gives the same numbers from the batch API as from the convenient one', () => {
    const n = expected.rows.length;
    const x = rowsToFloat32(expected.rows, expected.num_features);

    expect(Array.from(model.predictMarginBatch(x, n))).toEqual(flatten(model.predict(expected.rows, 'margin')));
    expect(Array.from(model.predictBatch(x, n))).toEqual(flatten(model.predict(expected.rows, 'prediction')));
    expect(Array.from(model.predictContribsBatch(x, n))).toEqual(flatten(model.predict(expected.rows, 'contribs')));
  });

  it("explains one group at a time: each is that group's block of the all-groups output, bit for bit", () => {
    const n = expected.rows.length;
    const x = rowsToFloat32(expected.rows, expected.num_features);
    const width = expected.num_features + 1;
    const all = model.predictContribsBatch(x, n);

    for (let g = 0; g < numGroups; g++) {
      const one = model.predictContribsBatch(x, n, undefined, { group: g });
      const blocks = Array.from({ length: n }, (_, r) =>
        Array.from(all.subarray((r * numGroups + g) * width, (r * numGroups + g + 1) * width)),
      );
      expect(Array.from(one)).toEqual(blocks.flat());
    }
  });

  it("gives XGBoost's contributions of a different group for each row when asked for one group per row", () => {
    const n = expected.rows.length;
    const x = rowsToFloat32(expected.rows, expected.num_features);
    const width = expected.num_features + 1;
    const groups = Int32Array.from({ length: n }, (_, r) => (r * 3) % numGroups);

    const got = model.predictContribsBatch(x, n, undefined, { group: groups });

    const rows = Array.from({ length: n }, (_, r) => Array.from(got.subarray(r * width, (r + 1) * width)));
    const wanted = Array.from({ length: n }, (_, r) =>
      numGroups > 1 ? (expected.contribs as number[][][])[r]![groups[r]!]! : (expected.contribs as number[][])[r]!,
    );
    expect(mismatches(rows, wanted, CONTRIBS_TOLERANCE)).toEqual([]);
  });

  it("overwrites and returns the caller's output buffers", () => {
    const n = expected.rows.length;
    const x = rowsToFloat32(expected.rows, expected.num_features);
    const margins = new Float64Array(n * numGroups).fill(Number.NaN);
    const predictions = new Float64Array(n * model.predictionWidth).fill(Number.NaN);
    const contribs = new Float64Array(n * numGroups * (expected.num_features + 1)).fill(Number.NaN);

    expect(model.predictMarginBatch(x, n, margins)).toBe(margins);
    expect(model.predictBatch(x, n, predictions)).toBe(predictions);
    expect(model.predictContribsBatch(x, n, contribs)).toBe(contribs);
    expect(mismatches(Array.from(margins), flatten(expected.margin), PREDICTION_TOLERANCE)).toEqual([]);
    expect(mismatches(Array.from(predictions), flatten(expected.prediction), PREDICTION_TOLERANCE)).toEqual([]);
    expect(mismatches(Array.from(contribs), flatten(expected.contribs), CONTRIBS_TOLERANCE)).toEqual([]);
  });

  it('scores a batch of zero rows as an empty array', () => {
    expect(model.predict([], 'prediction')).toEqual([]);
    expect(model.predictBatch(new Float32Array(0), 0)).toHaveLength(0);
  });
});

describe('JSON and UBJSON copies of one model', () => {
  const cases = FIXTURES.filter((f) => f.formats.length === 2).map((f) => [f.path, f.expected] as const);

  it.each(cases)('%s gives bit-identical margins, predictions and contributions', (path, e) => {
    const fromJson = parseModel(modelBytes(path, 'json'));
    const fromUbj = parseModel(modelBytes(path, 'ubj'));

    // XGBoost writes each float32 in JSON as its shortest decimal form, so once read back as
    // float32 both files hold the same numbers, and every output must match bit for bit.
    for (const output of OUTPUTS) {
      const fromJsonOutput = fromJson.predict(e.rows, output) as Nested;
      expect(mismatches(fromUbj.predict(e.rows, output), fromJsonOutput, EXACT)).toEqual([]);
    }
  });
});
