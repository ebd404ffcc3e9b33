import fc from 'fast-check';
import { ErrorResponseSchema, HealthResponseSchema, requestSchemas, ScoreResponseSchema } from '../src/index';
import { mulberry32, requiredFeatureValues, sampleLead } from '../src/testing';
import { CONTRACT, SPECS, col } from './fixtures';

const lenient = requestSchemas(CONTRACT);
const strict = requestSchemas(CONTRACT, 'strict');
const row = (seed = 1): unknown[] => sampleLead(SPECS, mulberry32(seed));
const withValue = (name: string, value: unknown): unknown[] => {
  const r = row();
  r[col(name)] = value;
  return r;
};
const rejects = (body: unknown) => {
  expect(lenient.ScoreRequestSchema.safeParse(body).success).toBe(false);
  expect(strict.ScoreRequestSchema.safeParse(body).success).toBe(false);
};

describe('requestSchemas, array form', () => {
  it('accepts any batch of valid sampled rows', () => {
    fc.assert(
      fc.property(fc.array(fc.integer(), { minLength: 1, maxLength: 20 }), (seeds) => {
        expect(strict.RowsScoreRequestSchema.safeParse(seeds.map((s) => row(s))).success).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('rejects a row one value short or one value long', () => {
    rejects([row().slice(1)]);
    rejects([[...row(), 0]]);
  });
  it('rejects an empty batch', () => rejects([]));
  it('rejects a row that is not an array', () => rejects([{ 0: 1 }]));
  it('rejects a number written as a string', () => rejects([withValue('web_visits_30d', '3')]));
  it('rejects a boolean where a number belongs', () => rejects([withValue('demo_requested', true)]));
  it('rejects NaN and Infinity', () => {
    rejects([withValue('intent_score', Number.NaN)]);
    rejects([withValue('intent_score', Number.POSITIVE_INFINITY)]);
  });
  it('rejects null where missing is not allowed', () => rejects([withValue('web_visits_30d', null)]));

  it('accepts a value outside its range or a fraction only under the lenient policy', () => {
    for (const body of [[withValue('email_open_rate_90d', 1.5)], [withValue('web_visits_30d', 2.5)]]) {
      expect(lenient.ScoreRequestSchema.safeParse(body).success).toBe(true);
      expect(strict.ScoreRequestSchema.safeParse(body).success).toBe(false);
    }
  });

  it('points its issues at the row and the feature column', () => {
    const result = strict.RowsScoreRequestSchema.safeParse([row(), withValue('web_visits_30d', -1)]);

    expect(result.error?.issues.map((i) => i.path)).toEqual([[1, col('web_visits_30d')]]);
  });
});

describe('requestSchemas, named form', () => {
  const REQUIRED = requiredFeatureValues(SPECS);
  const lead = (features: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    leads: [{ lead_id: 'L-1', features: { ...REQUIRED, ...features }, ...extra }],
  });

  it('accepts a subset of features, absent ones being missing', () => {
    expect(strict.ScoreRequestSchema.parse(lead({ intent_score: 3, email_open_rate_90d: null }))).toEqual({
      leads: [{ lead_id: 'L-1', features: { ...REQUIRED, intent_score: 3, email_open_rate_90d: null } }],
    });
  });

  it('rejects a lead that leaves out a feature that may not be missing', () => {
    const { web_visits_30d: _left, ...rest } = REQUIRED;

    expect(
      strict.NamedScoreRequestSchema.safeParse({ leads: [{ features: rest }] }).error?.issues.map((i) => i.path),
    ).toEqual([['leads', 0, 'features', 'web_visits_30d']]);
  });

  it('rejects an unknown feature name, unknown keys and prototype-pollution keys', () => {
    rejects(lead({ web_visits_8d: 1 }));
    rejects(lead({}, { score: 5 }));
    rejects({ leads: [{ features: REQUIRED }], model: 'x' });
    rejects(JSON.parse('{"leads":[{"features":{"constructor":1}}]}'));
  });

  it('rejects an empty, a 129-character or a numeric lead_id, and accepts 128 characters', () => {
    rejects(lead({}, { lead_id: '' }));
    rejects(lead({}, { lead_id: 'x'.repeat(129) }));
    rejects(lead({}, { lead_id: 7 }));
    expect(strict.ScoreRequestSchema.safeParse(lead({}, { lead_id: 'x'.repeat(128) })).success).toBe(true);
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
        warnings: [{ feature: 'intent_score', code: 'OUT_OF_RANGE', problem: 'must be between 0 and 100' }],
      },
      { score: 1, probability: 0.02, degraded: true },
      { score: 3, prediction: 41.5 },
      {
        lead_id: 'L-4',
        error: {
          code: 'INVALID_LEAD',
          message: 'This lead was not scored: 1 problem(s)',
          details: [{ feature: 'x', problem: 'p' }],
        },
      },
    ],
    latency_ms: { total: 1.2, validation: 0.1, model: 0.5 },
  };

  it('accepts a complete score response, with scored and rejected leads', () => {
    expect(ScoreResponseSchema.parse(response)).toEqual(response);
  });

  it('rejects a score outside 1..5, a one-class probability list and a result that is neither', () => {
    const bad = (result: Record<string, unknown>) =>
      expect(ScoreResponseSchema.safeParse({ ...response, results: [result] }).success).toBe(false);

    bad({ score: 6 });
    bad({ score: 0 });
    bad({ score: 2.5 });
    bad({ score: 2, probabilities: [1] });
    bad({ lead_id: 'x' });
  });

  it('accepts error bodies with and without details', () => {
    expect(ErrorResponseSchema.safeParse({ error: { code: 'INVALID_JSON', message: 'bad' } }).success).toBe(true);
    expect(
      ErrorResponseSchema.safeParse({
        error: { code: 'X', message: 'm', details: [{ row: 0, feature: 'f', problem: 'p' }] },
      }).success,
    ).toBe(true);
    expect(ErrorResponseSchema.safeParse({ error: { code: 'X' } }).success).toBe(false);
  });

  it('accepts health bodies', () => {
    expect(HealthResponseSchema.safeParse({ status: 'ok' }).success).toBe(true);
    expect(HealthResponseSchema.safeParse({ status: 'ready', model: { name: 'm', version: '1' } }).success).toBe(true);
    expect(HealthResponseSchema.safeParse({ status: 'fine' }).success).toBe(false);
  });
});
