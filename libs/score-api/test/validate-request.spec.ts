import fc from 'fast-check';
import { FEATURES, FEATURE_NAMES, NUM_FEATURES, ScoreRequestSchema } from '@lead-scoring/feature-schema';
import { mulberry32, requiredFeatureValues, sampleLead } from '@lead-scoring/feature-schema/testing';
import { ApiError } from '../src/errors';
import { validateScoreRequest } from '../src/validate-request';

const accepts = (value: unknown): boolean => {
  try {
    validateScoreRequest(value, { maxRows: Number.MAX_SAFE_INTEGER });
    return true;
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    return false;
  }
};

const errorOf = (value: unknown, maxRows = 1000): ApiError => {
  try {
    validateScoreRequest(value, { maxRows });
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected a rejection');
};

// Values a client might put where a feature belongs: valid, edge, out of range, wrong type.
const junkValue = fc.oneof(
  fc.constantFrom(null, 0, 1, -1, 0.5, 1e9, -0, 1e308, 1e-300, 3650, 3651, 500_000, 500_001),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer({ min: -10, max: 10_000 }),
  fc.string({ maxLength: 4 }),
  fc.boolean(),
  fc.constant([]),
  fc.constant({}),
  fc.constant([1]),
);

const validRow = fc.integer().map((seed) => sampleLead(mulberry32(seed)));
const mutatedRow = fc
  .tuple(validRow, fc.array(fc.tuple(fc.nat(NUM_FEATURES - 1), junkValue), { maxLength: 3 }), fc.constantFrom(0, 0, 0, -1, 1))
  .map(([row, edits, lengthDelta]) => {
    const out: unknown[] = [...row];
    for (const [i, v] of edits) out[i] = v;
    if (lengthDelta < 0) out.pop();
    if (lengthDelta > 0) out.push(0);
    return out;
  });

const featureName = fc.oneof(fc.constantFrom(...FEATURE_NAMES), fc.constantFrom('unknown_feature', 'constructor', 'toString'));
const namedLead = fc.record(
  {
    lead_id: fc.oneof(fc.string({ maxLength: 3 }), fc.string({ minLength: 126, maxLength: 130 }), fc.integer(), fc.constant(null)),
    features: fc.oneof(
      fc.dictionary(featureName, junkValue, { maxKeys: 8 }),
      fc.tuple(validRow, fc.nat(NUM_FEATURES)).map(([row, keep]) =>
        Object.fromEntries(FEATURES.slice(0, keep).map((s, i) => [s.name, row[i]])),
      ),
      fc.constantFrom(null, [], 'x'),
    ),
    extra: fc.integer(),
  },
  { requiredKeys: [] },
);
const namedBody = fc.oneof(
  fc.record({ leads: fc.array(namedLead, { maxLength: 4 }) }),
  fc.record({ leads: fc.array(namedLead, { maxLength: 2 }), other: fc.integer() }, { requiredKeys: ['leads'] }),
  fc.record({ leads: fc.oneof(fc.constant(null), fc.string(), fc.object()) }),
);
const validNamed = fc.array(
  fc.record({ lead_id: fc.string({ minLength: 1, maxLength: 8 }), features: fc.tuple(validRow, fc.nat(NUM_FEATURES)).map(([row, keep]) =>
    Object.fromEntries(FEATURES.slice(0, keep).map((s, i) => [s.name, row[i]])),
  ) }, { requiredKeys: ['features'] }),
  { minLength: 1, maxLength: 3 },
).map((leads) => ({ leads }));
// Complete leads whose only possible fault is the id: lone surrogates, astral characters, any UTF-16 unit.
const oddLeadId = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 4 }),
  fc.constantFrom('x\ud800y', '\udfff', '\ud83d', 'lead-\ud83d\ude00', '\ude00\ud83d'),
);
const oddIdNamed = fc.array(
  fc.record({ lead_id: oddLeadId, features: validRow.map((row) => Object.fromEntries(FEATURES.map((s, i) => [s.name, row[i]]))) }),
  { minLength: 1, maxLength: 3 },
).map((leads) => ({ leads }));
const anyBody = fc.oneof(
  fc.array(validRow, { minLength: 1, maxLength: 3 }),
  validNamed,
  oddIdNamed,
  fc.array(fc.oneof(validRow, mutatedRow), { maxLength: 4 }),
  namedBody,
  fc.jsonValue({ maxDepth: 4 }),
);

describe('validateScoreRequest', () => {
  it('accepts exactly what ScoreRequestSchema accepts, on random bodies of both forms', () => {
    fc.assert(
      fc.property(anyBody, (body) => {
        expect(accepts(body)).toBe(ScoreRequestSchema.safeParse(body).success);
      }),
      { numRuns: 1500, seed: 20240601 },
    );
  });

  it('draws bodies both accepted and rejected, so the equivalence above is not vacuous', () => {
    const verdicts = fc.sample(anyBody, { numRuns: 400, seed: 7 }).map((b) => ScoreRequestSchema.safeParse(b).success);
    expect(verdicts.filter(Boolean).length).toBeGreaterThan(40);
    expect(verdicts.filter((v) => !v).length).toBeGreaterThan(40);
  });

  it('writes rows as float32 in request order, null as NaN', () => {
    const rows = [sampleLead(mulberry32(1)), sampleLead(mulberry32(2))];
    rows[0]![0] = null;

    const { x, nRows, leadIds } = validateScoreRequest(rows, { maxRows: 10 });

    expect(nRows).toBe(2);
    expect(leadIds).toBeUndefined();
    expect(Number.isNaN(x[0])).toBe(true);
    expect(x[NUM_FEATURES + 9]).toBe(Math.fround(rows[1]![9]!));
  });

  it('maps the named form by feature name, absent names as missing, and keeps lead ids', () => {
    const required = requiredFeatureValues();
    const body = { leads: [{ lead_id: 'a-1', features: { ...required, web_visits_30d: 12 } }, { features: required }] };

    const { x, leadIds } = validateScoreRequest(body, { maxRows: 10 });

    expect(leadIds).toEqual(['a-1', undefined]);
    expect(x[9]).toBe(12);
    expect(Number.isNaN(x[10])).toBe(true); // pages_per_visit: absent, may be missing
  });

  it('rejects a lead id with a lone surrogate, which has no UTF-8 form for the lake, and keeps an astral one', () => {
    const required = requiredFeatureValues();
    const body = { leads: [{ lead_id: 'lead-\u{1F600}', features: required }, { lead_id: 'x\ud800y', features: required }] };

    expect(errorOf(body).details).toEqual([{ row: 1, problem: '"lead_id" must be well-formed Unicode, got a lone surrogate' }]);
    expect(validateScoreRequest({ leads: [body.leads[0]] }, { maxRows: 10 }).leadIds).toEqual(['lead-\u{1F600}']);
  });

  it('rejects a named lead that leaves out a feature that may not be missing, naming it', () => {
    const { web_visits_7d: _left, ...rest } = requiredFeatureValues();

    expect(errorOf({ leads: [{ features: rest }] }).details).toEqual([
      { row: 0, feature: 'web_visits_7d', problem: 'must not be missing (absent)' },
    ]);
  });

  it('rejects an empty batch with EMPTY_BATCH', () => {
    expect(errorOf([]).code).toBe('EMPTY_BATCH');
    expect(errorOf({ leads: [] }).code).toBe('EMPTY_BATCH');
  });

  it('rejects more rows than the limit with TOO_MANY_ROWS', () => {
    const err = errorOf([sampleLead(mulberry32(1)), sampleLead(mulberry32(2))], 1);
    expect([err.code, err.status]).toEqual(['TOO_MANY_ROWS', 413]);
  });

  it('rejects a row with 49 features, naming the row', () => {
    const err = errorOf([sampleLead(mulberry32(1)), sampleLead(mulberry32(2)).slice(1)]);
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.details).toEqual([{ row: 1, problem: 'must be an array of exactly 50 values, got 49 values' }]);
  });

  it.each([
    ['a string', '12', 'must be a number, got a string'],
    ['a boolean', true, 'must be a number, got a boolean'],
    ['an object', { v: 1 }, 'must be a number, got an object'],
    ['an array', [1], 'must be a number, got an array'],
    ['a number above the range', 2001, 'must be between 0 and 2000'],
    ['a fraction where whole numbers belong', 1.5, 'must be a whole number'],
    ['null where missing is not allowed', null, 'must not be missing (null)'],
  ])('rejects %s as a feature value, naming row and feature', (_what, value, problem) => {
    const row: unknown[] = sampleLead(mulberry32(3));
    row[9] = value;

    const err = errorOf([row]);

    expect(err.status).toBe(422);
    expect(err.details).toEqual([{ row: 0, feature: 'web_visits_30d', problem }]);
  });

  it('rejects unknown feature names and unknown keys in the named form', () => {
    const err = errorOf({ leads: [{ features: { ...requiredFeatureValues(), web_visits: 3 }, score: 1 }], extra: true });
    expect(err.details).toEqual([
      { problem: 'unknown key "extra"; the named form is {"leads": [...]}' },
      { row: 0, problem: 'unknown key "score"' },
      { row: 0, feature: 'web_visits', problem: 'unknown feature name' },
    ]);
  });

  it('lists at most 20 problems for a batch full of garbage', () => {
    const err = errorOf(Array.from({ length: 100 }, () => ['x']));
    expect(err.details).toHaveLength(20);
    expect(err.message).toContain('100 invalid');
  });
});
