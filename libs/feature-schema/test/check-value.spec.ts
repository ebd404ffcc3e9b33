import fc from 'fast-check';
import {
  featureValueProblem,
  featureValueSchema,
  hasLoneSurrogate,
  valueRangeProblem,
  valueTypeProblem,
  type FeatureSpec,
} from '../src/index';
import { SPECS } from './fixtures';

const spec = (name: string): FeatureSpec => SPECS.find((s) => s.name === name)!;

describe('featureValueProblem', () => {
  it('accepts values inside the range, bounds included', () => {
    const visits = spec('web_visits_30d');

    expect(featureValueProblem(visits, 0)).toBeUndefined();
    expect(featureValueProblem(visits, 2000)).toBeUndefined();
    expect(featureValueProblem(spec('email_open_rate_90d'), 0.25)).toBeUndefined();
  });

  it('rejects values outside the range with the range in the message', () => {
    expect(featureValueProblem(spec('web_visits_30d'), -1)).toBe('must be between 0 and 2000');
    expect(featureValueProblem(spec('email_open_rate_90d'), 1.01)).toBe('must be between 0 and 1');
  });

  it('rejects fractions where a whole number is required', () => {
    expect(featureValueProblem(spec('web_visits_30d'), 1.5)).toBe('must be a whole number');
  });

  it('accepts null only where missing is allowed', () => {
    expect(featureValueProblem(spec('intent_score'), null)).toBeUndefined();
    expect(featureValueProblem(spec('web_visits_30d'), null)).toBe('must not be missing (null)');
  });

  it('rejects non-numbers and non-finite numbers', () => {
    const s = spec('intent_score');

    expect(featureValueProblem(s, '3')).toBe('must be a number or null, got a string');
    expect(featureValueProblem(s, true)).toBe('must be a number or null, got a boolean');
    expect(featureValueProblem(s, {})).toBe('must be a number or null, got an object');
    expect(featureValueProblem(s, [1])).toBe('must be a number or null, got an array');
    expect(featureValueProblem(s, undefined)).toBe('must be a number or null, got nothing');
    expect(featureValueProblem(s, Number.NaN)).toBe('must be a finite number');
    expect(featureValueProblem(s, Number.POSITIVE_INFINITY)).toBe('must be a finite number');
  });

  it('agrees with the strict zod schema of every feature on arbitrary values', () => {
    const value = fc.oneof(
      fc.double(),
      fc.integer({ min: -10, max: 600_000 }),
      fc.constantFrom(null, 0, 1, 0.5, -0, '1', true, undefined, 2 ** 53, 1e300),
    );
    fc.assert(
      fc.property(fc.nat({ max: SPECS.length - 1 }), value, (i, v) => {
        const s = SPECS[i]!;
        expect(featureValueSchema(s, 'strict').safeParse(v).success).toBe(featureValueProblem(s, v) === undefined);
      }),
      { numRuns: 2000 },
    );
  });

  it('says "at least" or "at most" for a range open at one end', () => {
    expect(featureValueProblem(spec('pricing_views'), -1)).toBe('must be at least 0');
    expect(featureValueProblem(spec('days_to_renewal'), 4000)).toBe('must be at most 3650');
    expect(featureValueProblem(spec('revenue_change'), -1e300)).toBeUndefined();
  });
});

describe('valueTypeProblem and valueRangeProblem', () => {
  it('separate what makes a lead invalid from what is only outside the published range', () => {
    const visits = spec('web_visits_30d');

    expect(valueTypeProblem(visits, 2001)).toBeUndefined();
    expect(valueRangeProblem(visits, 2001)).toEqual({ code: 'OUT_OF_RANGE', problem: 'must be between 0 and 2000' });
    expect(valueRangeProblem(visits, 2.5)).toEqual({ code: 'NOT_WHOLE_NUMBER', problem: 'must be a whole number' });
    expect(valueTypeProblem(visits, '3')).toBe('must be a number, got a string');
  });
});

describe('hasLoneSurrogate', () => {
  it('flags a lone high or low surrogate anywhere in the string, and passes pairs, astral and plain text', () => {
    expect(['x\ud800y', '\udfff', 'end\ud83d', '\ude00\ud83d'].map(hasLoneSurrogate)).toEqual([true, true, true, true]);
    expect(['lead-\u{1F600}', '顧客-19', 'crm-ü', ''].map(hasLoneSurrogate)).toEqual([false, false, false, false]);
  });

  it('agrees with the string having a UTF-8 form, on any UTF-16 units', () => {
    const utf8 = new TextEncoder();
    const utf8Back = new TextDecoder();
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 6 }), (s) => {
        expect(hasLoneSurrogate(s)).toBe(utf8Back.decode(utf8.encode(s)) !== s);
      }),
      { numRuns: 2000 },
    );
  });
});
