import { createLeadValidator, FeatureSchemaError, type ValidatedBatch, type ValidationPolicy } from '../src/index';
import { mulberry32, requiredFeatureValues, sampleLead } from '../src/testing';
import { CONTRACT, SPECS, col } from './fixtures';

const row = (seed: number): unknown[] => sampleLead(SPECS, mulberry32(seed));
const validate = (body: unknown, policy: ValidationPolicy = 'lenient', maxRows = 1000): ValidatedBatch =>
  createLeadValidator(CONTRACT, { maxRows, policy }).validate(body);
const errorOf = (body: unknown, policy: ValidationPolicy = 'lenient', maxRows = 1000): FeatureSchemaError => {
  try {
    validate(body, policy, maxRows);
  } catch (err) {
    if (err instanceof FeatureSchemaError) return err;
    throw err;
  }
  throw new Error('expected a rejection');
};
const withValue = (name: string, value: unknown, seed = 3): unknown[] => {
  const r = row(seed);
  r[col(name)] = value;
  return r;
};
const REQUIRED = requiredFeatureValues(SPECS);

describe('createLeadValidator', () => {
  it('writes rows as float32 in request order, null as NaN', () => {
    const rows = [row(1), row(2)];
    rows[0]![0] = null;
    rows[1]![1] = 0.1;

    const { x, nRows, total, leadIds, positions, rejected } = validate(rows);

    expect([nRows, total, leadIds, positions, rejected]).toEqual([2, 2, undefined, undefined, []]);
    expect(Number.isNaN(x[0])).toBe(true);
    expect(x[SPECS.length + 1]).toBe(Math.fround(0.1));
  });

  it('maps the named form by feature name, absent names as missing, and keeps lead ids', () => {
    const body = { leads: [{ lead_id: 'a-1', features: { ...REQUIRED, intent_score: 12 } }, { features: REQUIRED }] };

    const { x, leadIds } = validate(body);

    expect(leadIds).toEqual(['a-1', undefined]);
    expect(x[col('intent_score')]).toBe(12);
    expect(Number.isNaN(x[col('email_open_rate_90d')])).toBe(true);
  });

  it('scores the valid leads of a batch and reports each invalid one at its position', () => {
    const body = [row(1), withValue('web_visits_30d', '12'), row(2), ['x'], row(3)];

    const batch = validate(body);

    expect([batch.nRows, batch.total]).toEqual([3, 5]);
    expect(Array.from(batch.positions!)).toEqual([0, 2, 4]);
    expect(batch.x.length).toBe(3 * SPECS.length);
    expect(batch.x[SPECS.length + col('web_visits_30d')]).toBe(row(2)[col('web_visits_30d')]);
    expect(batch.rejected).toEqual([
      {
        position: 1,
        leadId: undefined,
        problems: 1,
        details: [{ feature: 'web_visits_30d', problem: 'must be a number, got a string' }],
      },
      {
        position: 3,
        leadId: undefined,
        problems: 1,
        details: [{ problem: 'must be an array of exactly 8 values, got 1 values' }],
      },
    ]);
  });

  it("never leaves a rejected named lead's values in the next lead's slot", () => {
    const bad = { lead_id: 'bad', features: { ...REQUIRED, intent_score: 50, web_visits_30d: 'x' } };
    const good = { lead_id: 'good', features: REQUIRED };

    const batch = validate({ leads: [bad, good] });

    expect(batch.leadIds).toEqual(['good']);
    expect(batch.rejected[0]!.leadId).toBe('bad');
    expect(Number.isNaN(batch.x[col('intent_score')])).toBe(true);
  });

  it('scores a value outside its range with a warning by default, and rejects its lead when strict', () => {
    const body = [withValue('intent_score', 101), withValue('web_visits_30d', 2.5, 4), row(5)];

    const lenient = validate(body);
    const strict = validate(body, 'strict');

    expect(lenient.nRows).toBe(3);
    expect(lenient.x[col('intent_score')]).toBe(101);
    expect(lenient.warnings).toEqual([
      [{ feature: 'intent_score', code: 'OUT_OF_RANGE', problem: 'must be between 0 and 100' }],
      [{ feature: 'web_visits_30d', code: 'NOT_WHOLE_NUMBER', problem: 'must be a whole number' }],
    ]);
    expect(strict.nRows).toBe(1);
    expect(strict.rejected.map((r) => r.details)).toEqual([
      [{ feature: 'intent_score', problem: 'must be between 0 and 100' }],
      [{ feature: 'web_visits_30d', problem: 'must be a whole number' }],
    ]);
  });

  it('rejects a lead id with a lone surrogate, which has no UTF-8 form for the lake, and keeps an astral one', () => {
    const body = {
      leads: [
        { lead_id: 'lead-\u{1F600}', features: REQUIRED },
        { lead_id: 'x\ud800y', features: REQUIRED },
      ],
    };

    const batch = validate(body);

    expect(batch.leadIds).toEqual(['lead-\u{1F600}']);
    expect(batch.rejected[0]!.details).toEqual([
      { problem: '"lead_id" must be well-formed Unicode, got a lone surrogate' },
    ]);
  });

  it('rejects a named lead that leaves out a feature that may not be missing, naming it', () => {
    const { web_visits_30d: _left, ...rest } = REQUIRED;

    expect(errorOf({ leads: [{ features: rest }] }).details).toEqual([
      { row: 0, feature: 'web_visits_30d', problem: 'must not be missing (absent)' },
    ]);
  });

  it('answers VALIDATION_FAILED naming row and feature when every lead is invalid', () => {
    const err = errorOf([row(1).slice(1), withValue('demo_requested', null)]);

    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.details).toEqual([
      { row: 0, problem: 'must be an array of exactly 8 values, got 7 values' },
      { row: 1, feature: 'demo_requested', problem: 'must not be missing (null)' },
    ]);
  });

  it('rejects an empty batch with EMPTY_BATCH and more rows than the limit with TOO_MANY_ROWS', () => {
    expect(errorOf([]).code).toBe('EMPTY_BATCH');
    expect(errorOf({ leads: [] }).code).toBe('EMPTY_BATCH');
    expect(errorOf([row(1), row(2)], 'lenient', 1).code).toBe('TOO_MANY_ROWS');
  });

  it('rejects a body of the wrong shape as a whole', () => {
    expect(errorOf('rows').details).toEqual([{ problem: 'expected an array or an object, got a string' }]);
    expect(errorOf({ leads: [{ features: REQUIRED }], extra: true }).details).toEqual([
      { problem: 'unknown key "extra"; the named form is {"leads": [...]}' },
    ]);
    expect(errorOf({ leads: 'x' }).details).toEqual([{ problem: '"leads" must be an array, got a string' }]);
  });

  it('rejects unknown feature names and unknown keys of a lead', () => {
    const batch = validate({ leads: [{ features: { ...REQUIRED, web_visits: 3 }, score: 1 }, { features: REQUIRED }] });

    expect(batch.rejected[0]!.details).toEqual([
      { problem: 'unknown key "score"' },
      { feature: 'web_visits', problem: 'unknown feature name' },
    ]);
  });

  it('lists at most 20 problems for a batch full of garbage, and counts them all', () => {
    const err = errorOf(Array.from({ length: 100 }, () => ['x']));

    expect(err.details).toHaveLength(20);
    expect(err.message).toContain('100 problem(s) (first 20 listed)');
  });
});
