// What the evaluator must refuse, with a stable code and a message naming the feature, rather
// than give a silently wrong answer. Model files come from real XGBoost 1.7.4 and 3.4.1 (make_fixtures.py).
import { EvaluatorError, parseModel, rowsToFloat32 } from '../src/index';
import { modelBytes, unsupportedBytes } from './fixtures';

function refusalOf(act: () => unknown): EvaluatorError {
  try {
    act();
  } catch (error) {
    if (error instanceof EvaluatorError) return error;
    throw new Error(`expected an EvaluatorError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected an EvaluatorError, but nothing was thrown');
}

/** Deterministic noise (mulberry32) whose first byte is neither '{', 'b' (legacy "binf") nor a pickle opcode. */
function randomBytes(length: number, seed: number): Uint8Array {
  let state = seed >>> 0;
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    bytes[i] = (t ^ (t >>> 14)) & 0xff;
  }
  bytes[0] = 0x17;
  return bytes;
}

describe('parseModel refusals', () => {
  it.each([
    ['gblinear.model.json', 'MODEL_UNSUPPORTED_BOOSTER', /gblinear/],
    ['categorical.model.json', 'MODEL_UNSUPPORTED_CATEGORICAL', /categorical/i],
    ['categorical.model.ubj', 'MODEL_UNSUPPORTED_CATEGORICAL', /categorical/i],
    ['legacy.model.bst', 'MODEL_LEGACY_BINARY', /binary/i],
    ['booster.model.pkl', 'MODEL_LEGACY_BINARY', /pickle/i],
    ['reg-gamma.model.json', 'MODEL_UNSUPPORTED_OBJECTIVE', /reg:gamma/],
  ])('refuses %s with %s and a message naming the feature', (file, code, named) => {
    const error = refusalOf(() => parseModel(unsupportedBytes(file)));

    expect(error.code).toBe(code);
    expect(error.message).toMatch(named);
  });

  it.each([
    ['multi-target.model.json', 'MODEL_UNSUPPORTED_MULTI_TARGET', /more than one target/],
    ['multi-output-tree.model.json', 'MODEL_UNSUPPORTED_MULTI_TARGET', /more than one target/],
    ['categorical.model.json', 'MODEL_UNSUPPORTED_CATEGORICAL', /categorical/i],
    ['categorical.model.ubj', 'MODEL_UNSUPPORTED_CATEGORICAL', /categorical/i],
  ])("refuses XGBoost 3.4.1's %s with %s and a message naming the feature", (file, code, named) => {
    const error = refusalOf(() => parseModel(unsupportedBytes(file, 'xgb3')));

    expect(error.code).toBe(code);
    expect(error.message).toMatch(named);
  });

  it('refuses vector-leaf trees as multi-target even where num_target does not say so', () => {
    const doc = JSON.parse(new TextDecoder().decode(unsupportedBytes('multi-output-tree.model.json', 'xgb3'))) as {
      learner: { learner_model_param: Record<string, string> };
    };
    delete doc.learner.learner_model_param['num_target'];

    const error = refusalOf(() => parseModel(new TextEncoder().encode(JSON.stringify(doc))));

    expect(error.code).toBe('MODEL_UNSUPPORTED_MULTI_TARGET');
    expect(error.message).toMatch(/vector leaves/);
  });

  it('refuses random bytes as an unknown format', () => {
    expect(refusalOf(() => parseModel(randomBytes(4096, 42))).code).toBe('MODEL_FORMAT_UNKNOWN');
  });

  it('refuses an empty file as an unknown format', () => {
    expect(refusalOf(() => parseModel(new Uint8Array(0))).code).toBe('MODEL_FORMAT_UNKNOWN');
  });

  it.each(['json', 'ubj'] as const)('refuses a truncated %s model as a parse failure', (format) => {
    const bytes = modelBytes('binary-logistic', format);

    const error = refusalOf(() => parseModel(bytes.subarray(0, Math.floor(bytes.length / 2))));

    expect(error.code).toBe('MODEL_PARSE_FAILED');
  });

  it('refuses well-formed JSON that is not an XGBoost model as invalid', () => {
    const bytes = new TextEncoder().encode('{"hello": "world"}');

    expect(refusalOf(() => parseModel(bytes)).code).toBe('MODEL_INVALID');
  });
});

describe('input shape checks', () => {
  const model = parseModel(modelBytes('binary-logistic', 'json'));

  it('rejects a row with fewer features than the model has', () => {
    expect(refusalOf(() => rowsToFloat32([[1, 2]], 6)).code).toBe('INPUT_SHAPE');
    expect(refusalOf(() => model.predict([[1, 2, 3, 4, 5]])).code).toBe('INPUT_SHAPE');
  });

  it('rejects a batch whose Float32Array is shorter than rows times features', () => {
    expect(refusalOf(() => model.predictBatch(new Float32Array(5), 1)).code).toBe('INPUT_SHAPE');
  });
});
