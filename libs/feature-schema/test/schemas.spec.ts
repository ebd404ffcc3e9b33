import fc from 'fast-check';
import {
  ErrorResponseSchema,
  HealthResponseSchema,
  NamedScoreRequestSchema,
  RowsScoreRequestSchema,
  ScoreRequestSchema,
  ScoreResponseSchema,
  FEATURE_INDEX,
} from '../src/index';
import { mulberry32, requiredFeatureValues, sampleLead } from '../src/testing';

const row = (seed = 1) => sampleLead(mulberry32(seed));
const withValue = (name: string, value: unknown) => {
  const r: unknown[] = row();
  r[FEATURE_INDEX.get(name)!] = value;
  return r;
};
const rejects = (body: unknown) => expect(ScoreRequestSchema.safeParse(body).success).toBe(false);

describe('ScoreRequestSchema, array form', () => {
  it('accepts any batch of valid sampled rows', () => {
    fc.assert(
      fc.property(fc.array(fc.integer(), { minLength: 1, maxLength: 20 }), (seeds) => {
        expect(RowsScoreRequestSchema.safeParse(seeds.map(row)).success).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('rejects a row with 49 features', () => rejects([row().slice(0, 49)]));
  it('rejects a row with 51 features', () => rejects([[...row(), 0]]));
  it('rejects an empty batch', () => rejects([]));
  it('rejects a row that is not an array', () => rejects([{ 0: 1 }]));
  it('rejects a number written as a string', () => rejects([withValue('web_visits_7d', '3')]));
  it('rejects a boolean where a number belongs', () => rejects([withValue('demo_requested', true)]));
  it('rejects an object or array where a number belongs', () => {
    rejects([withValue('web_visits_7d', { v: 1 })]);
    rejects([withValue('web_visits_7d', [1])]);
  });
  it('rejects NaN and Infinity', () => {
    rejects([withValue('intent_score', Number.NaN)]);
    rejects([withValue('intent_score', Number.POSITIVE_INFINITY)]);
  });
  it('rejects a value outside its range', () => rejects([withValue('email_open_rate_90d', 1.5)]));
  it('rejects a fraction where a whole number is required', () => rejects([withValue('web_visits_30d', 2.5)]));
  it('rejects null where missing is not allowed', () => rejects([withValue('web_visits_30d', null)]));
  it('accepts null where missing is allowed', () => {
    expect(ScoreRequestSchema.safeParse([withValue('intent_score', null)]).success).toBe(true);
  });

  it('points its issues at the row and the feature column', () => {
    const result = RowsScoreRequestSchema.safeParse([row(), withValue('web_visits_30d', -1)]);

    expect(result.error?.issues.map((i) => i.path)).toEqual([[1, FEATURE_INDEX.get('web_visits_30d')]]);
  });
});

describe('ScoreRequestSchema, named form', () => {
  const REQUIRED = requiredFeatureValues();
  const lead = (features: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    leads: [{ lead_id: 'L-1', features: { ...REQUIRED, ...features }, ...extra }],
  });

  it('accepts a subset of features, absent ones being missing', () => {
    const parsed = ScoreRequestSchema.parse(lead({ web_visits_7d: 3, intent_score: null }));

    expect(parsed).toEqual({ leads: [{ lead_id: 'L-1', features: { ...REQUIRED, web_visits_7d: 3, intent_score: null } }] });
  });

  it('rejects a lead that leaves out a feature that may not be missing', () => {
    const { web_visits_7d: _left, ...rest } = REQUIRED;
    const result = NamedScoreRequestSchema.safeParse({ leads: [{ features: rest }] });

    expect(result.error?.issues.map((i) => i.path)).toEqual([['leads', 0, 'features', 'web_visits_7d']]);
  });

  it('accepts a lead without lead_id', () => {
    expect(NamedScoreRequestSchema.safeParse({ leads: [{ features: REQUIRED }] }).success).toBe(true);
  });

  it('rejects an unknown feature name', () => {
    const result = NamedScoreRequestSchema.safeParse(lead({ web_visits_7d: 3, web_visits_8d: 1 }));

    expect(result.error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['web_visits_8d'] });
  });

  it('rejects prototype-pollution keys', () => {
    rejects(JSON.parse('{"leads":[{"features":{"__proto__":{"x":1}}}]}'));
    rejects(JSON.parse('{"leads":[{"features":{"constructor":1}}]}'));
    rejects(JSON.parse('{"leads":[{"features":{}}],"__proto__":{}}'));
  });

  it('rejects unknown keys on the lead and the body', () => {
    rejects(lead({}, { score: 5 }));
    rejects({ leads: [{ features: {} }], model: 'x' });
  });

  it('rejects an empty, a 129-character or a numeric lead_id', () => {
    rejects(lead({}, { lead_id: '' }));
    rejects(lead({}, { lead_id: 'x'.repeat(129) }));
    rejects(lead({}, { lead_id: 7 }));
    expect(ScoreRequestSchema.safeParse(lead({}, { lead_id: 'x'.repeat(128) })).success).toBe(true);
  });

  it('rejects an empty leads array and a missing features object', () => {
    rejects({ leads: [] });
    rejects({ leads: [{ lead_id: 'a' }] });
  });

  it('rejects bad values by name like the array form does', () => {
    rejects(lead({ web_visits_30d: '3' }));
    rejects(lead({ web_visits_30d: -1 }));
    rejects(lead({ web_visits_30d: null }));
  });
});

describe('response schemas', () => {
  const response = {
    request_id: 'req-1',
    model: { name: 'lead-scoring-demo', version: '1.0.0' },
    results: [
      {
        lead_id: 'L-1',
        score: 4,
        probabilities: [0.05, 0.1, 0.15, 0.6, 0.1],
        reasons: [{ feature: 'demo_requested', value: 1, contribution: 0.8 }],
      },
      { score: 1, probability: 0.02, degraded: true },
    ],
    latency_ms: { total: 1.2, validation: 0.1, model: 0.5 },
  };

  it('accepts a complete score response', () => {
    expect(ScoreResponseSchema.parse(response)).toEqual(response);
  });

  it('rejects a score outside 1..5 and probabilities of the wrong length', () => {
    const bad = (result: Record<string, unknown>) =>
      expect(ScoreResponseSchema.safeParse({ ...response, results: [result] }).success).toBe(false);

    bad({ score: 6 });
    bad({ score: 0 });
    bad({ score: 2.5 });
    bad({ score: 2, probabilities: [0.5, 0.5] });
  });

  it('accepts error bodies with and without details', () => {
    expect(ErrorResponseSchema.safeParse({ error: { code: 'INVALID_JSON', message: 'bad' } }).success).toBe(true);
    const withDetails = { error: { code: 'X', message: 'm', details: [{ row: 0, feature: 'f', problem: 'p' }] } };
    expect(ErrorResponseSchema.safeParse(withDetails).success).toBe(true);
    expect(ErrorResponseSchema.safeParse({ error: { code: 'X' } }).success).toBe(false);
  });

  it('accepts health bodies', () => {
    expect(HealthResponseSchema.safeParse({ status: 'ok' }).success).toBe(true);
    expect(HealthResponseSchema.safeParse({ status: 'ready', model: { name: 'm', version: '1' } }).success).toBe(true);
    expect(HealthResponseSchema.safeParse({ status: 'fine' }).success).toBe(false);
  });
});
