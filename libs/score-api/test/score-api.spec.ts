import {
  createFeatureContract,
  ErrorResponseSchema,
  ScoreResponseSchema,
  type FeatureContract,
} from '@lead-scoring/feature-schema';
import { mulberry32, requiredFeatureValues, sampleLead } from '@lead-scoring/feature-schema/testing';
import { demoContract } from '@lead-scoring/model-bundle/testing';
import { createScoreApi } from '../src/score-api';
import type { ApiRequest, ApiResponse, RequestEvent, ScoreApiOptions, ScoredEvent } from '../src/types';
import { FakeScorer } from './fake-scorer';

const CONTRACT = demoContract();
const JSON_CT = { 'content-type': 'application/json' };
const row = (seed: number): unknown[] => sampleLead(CONTRACT.features, mulberry32(seed));
const col = (name: string): number => CONTRACT.index.get(name)!;
const REQUIRED = requiredFeatureValues(CONTRACT.features);
const post = (body: string | Buffer, extra: Partial<ApiRequest> = {}): ApiRequest => ({
  method: 'POST',
  path: '/score',
  headers: JSON_CT,
  body,
  ...extra,
});
const served = (scorer = new FakeScorer(), contract: FeatureContract = CONTRACT) => ({ scorer, contract });

async function call(
  req: ApiRequest,
  opts: Partial<ScoreApiOptions> & { scorer?: FakeScorer } = {},
): Promise<ApiResponse> {
  const { scorer, ...rest } = opts;
  const api = createScoreApi({ model: served(scorer), ...rest });
  return api.handleRequest(req);
}

/** Asserts a JSON error body of the given status and code and returns its details. */
function expectError(
  res: ApiResponse,
  status: number,
  code: string,
): { row?: number | undefined; feature?: string | undefined; problem: string }[] {
  expect(res.status).toBe(status);
  const body = ErrorResponseSchema.parse(JSON.parse(res.body));
  expect(body.error.code).toBe(code);
  return body.error.details ?? [];
}

/** The results of a 200 body, checked against the response schema. */
const resultsOf = (res: ApiResponse) => {
  expect(res.status).toBe(200);
  return ScoreResponseSchema.parse(JSON.parse(res.body)).results as Record<string, unknown>[];
};

describe('POST /score', () => {
  it('scores the array form, results in request order, with model and latency', async () => {
    const rows = [row(1), row(2), row(3)];
    rows[0]![0] = 3;
    rows[1]![0] = 1;
    rows[2]![0] = 4;

    const res = await call(post(JSON.stringify(rows), { requestId: 'req-123' }));

    expect(res.status).toBe(200);
    const body = ScoreResponseSchema.parse(JSON.parse(res.body));
    expect(body.request_id).toBe('req-123');
    expect(body.model).toEqual({ name: 'fake', version: '9.9.9' });
    expect(body.results.map((r) => ('score' in r ? r.score : r.error.code))).toEqual([4, 2, 5]);
    expect(body.latency_ms.total).toBeGreaterThanOrEqual(body.latency_ms.model);
    expect(res.headers['x-request-id']).toBe('req-123');
  });

  it('scores the named form and echoes lead ids', async () => {
    const body = {
      leads: [{ lead_id: 'L1', features: { ...REQUIRED, company_employees: 2 } }, { features: REQUIRED }],
    };

    const res = await call(post(JSON.stringify(body)));

    const parsed = ScoreResponseSchema.parse(JSON.parse(res.body));
    expect(parsed.results.map((r) => [r.lead_id, 'score' in r ? r.score : r.error.code])).toEqual([
      ['L1', 3],
      [undefined, 1],
    ]);
    expect(parsed.request_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('accepts a base64-decoded Buffer body and a charset parameter', async () => {
    const res = await call(
      post(Buffer.from(JSON.stringify([row(1)])), { headers: { 'content-type': 'Application/JSON; charset=utf-8' } }),
    );
    expect(res.status).toBe(200);
  });

  it('passes ?explain=N to the scorer', async () => {
    const scorer = new FakeScorer();
    await call(post(JSON.stringify([row(1)]), { query: { explain: '3' } }), { scorer });
    expect(scorer.batches[0]?.explain).toBe(3);
  });

  it('refuses ?explain on more leads than maxExplainRows with 413 EXPLAIN_TOO_MANY_ROWS, and scores them without it', async () => {
    const scorer = new FakeScorer();
    const body = JSON.stringify([row(1), row(2), row(3)]);

    const refused = await call(post(body, { query: { explain: '3' } }), { scorer, maxExplainRows: 2 });
    const scored = await call(post(body), { scorer, maxExplainRows: 2 });

    expectError(refused, 413, 'EXPLAIN_TOO_MANY_ROWS');
    expect(JSON.parse(refused.body).error.message).toMatch(/asked for 3 leads; at most 2 per request/);
    expect(resultsOf(scored)).toHaveLength(3);
    expect(scorer.batches).toHaveLength(1);
  });

  it('counts the invalid leads of a request against maxExplainRows too', async () => {
    const invalid = row(2);
    invalid[0] = 'not a number';

    const res = await call(post(JSON.stringify([row(1), invalid]), { query: { explain: '1' } }), { maxExplainRows: 1 });

    expectError(res, 413, 'EXPLAIN_TOO_MANY_ROWS');
  });

  it("reports the scorer's explain time in the scored event, and none without ?explain", async () => {
    const scored: ScoredEvent[] = [];
    const api = createScoreApi({ model: served(), onScored: (e) => scored.push(e) });

    api.notify(await api.handleRequest(post(JSON.stringify([row(1)]), { query: { explain: '2' } })));
    api.notify(await api.handleRequest(post(JSON.stringify([row(1)]))));

    expect(scored.map((e) => e.explainMs)).toEqual([0.004, undefined]);
  });

  it.each(['0', '51', 'abc', '2.5', '-1', ''])('rejects ?explain=%s with INVALID_QUERY', async (explain) => {
    expectError(await call(post(JSON.stringify([row(1)]), { query: { explain } })), 400, 'INVALID_QUERY');
  });

  it('rejects invalid JSON', async () => {
    expectError(await call(post('[[1,2,')), 400, 'INVALID_JSON');
  });

  it('rejects an empty body as invalid JSON', async () => {
    expectError(await call(post('')), 400, 'INVALID_JSON');
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded', undefined])(
    'rejects Content-Type %s with 415',
    async (ct) => {
      const res = await call(post(JSON.stringify([row(1)]), { headers: ct ? { 'content-type': ct } : {} }));
      expectError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    },
  );

  it('rejects an empty batch', async () => {
    expectError(await call(post('[]')), 422, 'EMPTY_BATCH');
  });

  it('rejects a batch whose only row has the wrong length, naming the row', async () => {
    const details = expectError(await call(post(JSON.stringify([row(1).slice(0, 49)]))), 422, 'VALIDATION_FAILED');
    expect(details[0]).toMatchObject({ row: 0 });
  });

  it.each([
    ['a string', '"12"', 'must be a number, got a string'],
    ['a boolean', 'true', 'must be a number, got a boolean'],
    ['an object', '{"v":1}', 'must be a number, got an object'],
    ['an array', '[1]', 'must be a number, got an array'],
    ['null where missing is not allowed', 'null', 'must not be missing (null)'],
  ])('answers a lead with %s with its own error and scores the others', async (_what, literal, problem) => {
    const values = row(4).map((v) => JSON.stringify(v));
    values[col('web_visits_7d')] = literal;
    const scorer = new FakeScorer();

    const results = resultsOf(
      await call(post(`[${JSON.stringify(row(1))},[${values.join(',')}],${JSON.stringify(row(2))}]`), { scorer }),
    );

    expect(results.map((r) => ('error' in r ? 'error' : 'score'))).toEqual(['score', 'error', 'score']);
    expect(results[1]).toEqual({
      error: {
        code: 'INVALID_LEAD',
        message: 'This lead was not scored: 1 problem(s)',
        details: [{ feature: 'web_visits_7d', problem }],
      },
    });
    expect(scorer.batches[0]!.nRows).toBe(2);
  });

  it('answers a named lead with an unknown feature, a bad id or a missing required feature with its own error, echoing valid ids', async () => {
    const { web_visits_7d: _left, ...short } = REQUIRED;
    const body = {
      leads: [
        { lead_id: 'ok-1', features: REQUIRED },
        { lead_id: 'bad-1', features: { ...REQUIRED, bogus: 1 } },
        { lead_id: 'x\ud800', features: REQUIRED },
        { lead_id: 'bad-3', features: short },
        { lead_id: 'ok-2', features: REQUIRED },
      ],
    };

    const results = resultsOf(await call(post(JSON.stringify(body))));

    expect(
      results.map((r) => [r['lead_id'], 'error' in r ? (r['error'] as { details: unknown[] }).details : r['score']]),
    ).toEqual([
      ['ok-1', 1],
      ['bad-1', [{ feature: 'bogus', problem: 'unknown feature name' }]],
      [undefined, [{ problem: '"lead_id" must be well-formed Unicode, got a lone surrogate' }]],
      ['bad-3', [{ feature: 'web_visits_7d', problem: 'must not be missing (absent)' }]],
      ['ok-2', 1],
    ]);
  });

  it('answers 422 VALIDATION_FAILED when every lead of the batch is invalid', async () => {
    const body = JSON.stringify({
      leads: [{ features: { ...REQUIRED, bogus: 1 } }, { features: { ...REQUIRED, web_visits_7d: 'x' } }],
    });

    expect(expectError(await call(post(body)), 422, 'VALIDATION_FAILED')).toEqual([
      { row: 0, feature: 'bogus', problem: 'unknown feature name' },
      { row: 1, feature: 'web_visits_7d', problem: 'must be a number, got a string' },
    ]);
  });

  it("scores a value outside its published range and flags it in the lead's warnings", async () => {
    const r = row(4);
    r[col('country_tier')] = 0;
    r[col('web_visits_30d')] = 2.5;

    const [result] = resultsOf(await call(post(JSON.stringify([r]))));

    expect(result).toMatchObject({
      score: expect.any(Number),
      warnings: [
        { feature: 'country_tier', code: 'OUT_OF_RANGE', problem: 'must be between 1 and 4' },
        { feature: 'web_visits_30d', code: 'NOT_WHOLE_NUMBER', problem: 'must be a whole number' },
      ],
    });
  });

  it('rejects such a lead instead with the strict validation policy', async () => {
    const r = row(4);
    r[col('country_tier')] = 0;

    const details = expectError(
      await call(post(JSON.stringify([r])), { validation: 'strict' }),
      422,
      'VALIDATION_FAILED',
    );

    expect(details).toEqual([{ row: 0, feature: 'country_tier', problem: 'must be between 1 and 4' }]);
  });

  it.each(['NaN', 'Infinity', '-Infinity'])('rejects %s spelled in the body', async (literal) => {
    const values = row(4).map((v) => JSON.stringify(v));
    values[3] = literal;
    expectError(await call(post(`[[${values.join(',')}]]`)), 400, 'NON_FINITE_NUMBER');
  });

  it('rejects a number too large for a double (1e999 parses to Infinity)', async () => {
    const values = row(4).map((v) => JSON.stringify(v));
    values[1] = '1e999';
    const details = expectError(await call(post(`[[${values.join(',')}]]`)), 422, 'VALIDATION_FAILED');
    expect(details[0]).toMatchObject({ feature: 'annual_revenue_usd_m', problem: 'must be a finite number' });
  });

  it('rejects an unknown feature name', async () => {
    const body = JSON.stringify({ leads: [{ features: { ...REQUIRED, bogus: 1 } }] });
    const details = expectError(await call(post(body)), 422, 'VALIDATION_FAILED');
    expect(details).toEqual([{ row: 0, feature: 'bogus', problem: 'unknown feature name' }]);
  });

  it('rejects a feature name given twice, which JSON.parse would hide', async () => {
    const res = await call(
      post('{"leads":[{"features":{"web_visits_7d":1}},{"features":{"web_visits_7d":1,"web_visits_7d":2}}]}'),
    );
    expect(expectError(res, 400, 'DUPLICATE_KEY')).toEqual([
      { row: 1, feature: 'web_visits_7d', problem: 'duplicate key "web_visits_7d"' },
    ]);
  });

  it('rejects more rows than MAX_ROWS', async () => {
    expectError(await call(post(JSON.stringify([row(1), row(2), row(3)])), { maxRows: 2 }), 413, 'TOO_MANY_ROWS');
  });

  it('rejects a body larger than MAX_BODY_BYTES', async () => {
    expectError(await call(post(JSON.stringify([row(1)])), { maxBodyBytes: 100 }), 413, 'BODY_TOO_LARGE');
  });

  it('rejects 100k nested arrays without blowing the stack', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expectError(await call(post(deep)), 400, 'NESTING_TOO_DEEP');
    expectError(await call(post(Buffer.from(deep))), 400, 'NESTING_TOO_DEEP');
  });

  it.each([
    ['__proto__ at the root', '{"__proto__":{"polluted":1},"leads":[{"features":{}}]}'],
    ['__proto__ in features', '{"leads":[{"features":{"__proto__":{"polluted":1}}}]}'],
    ['constructor in a lead', '{"leads":[{"constructor":{"prototype":1},"features":{}}]}'],
    ['prototype in features', '{"leads":[{"features":{"prototype":1}}]}'],
  ])('rejects %s as a forbidden key, leaving Object.prototype untouched', async (_what, body) => {
    expectError(await call(post(body)), 400, 'FORBIDDEN_KEY');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('answers 503 NOT_READY while the model loads, 200 once loaded', async () => {
    let resolve!: (s: FakeScorer) => void;
    const api = createScoreApi({
      model: new Promise<ReturnType<typeof served>>((r) => (resolve = (s) => r(served(s)))),
    });
    const ready = { method: 'GET', path: '/ready', headers: {} };

    expectError(await api.handleRequest(post(JSON.stringify([row(1)]))), 503, 'NOT_READY');
    expect((await api.handleRequest(ready)).status).toBe(503);
    resolve(new FakeScorer());
    await Promise.resolve();

    expect((await api.handleRequest(ready)).status).toBe(200);
    expect((await api.handleRequest(post(JSON.stringify([row(1)])))).status).toBe(200);
  });

  it('maps a scorer failure with a status (ScoringError) to that status and code', async () => {
    const fail = Object.assign(new Error('SageMaker took too long'), { code: 'UPSTREAM_TIMEOUT', status: 504 });
    expectError(
      await call(post(JSON.stringify([row(1)])), { scorer: new FakeScorer({ fail }) }),
      504,
      'UPSTREAM_TIMEOUT',
    );
  });

  it('answers an unexpected failure with 500 INTERNAL, no stack trace, and reports it', async () => {
    const errors: unknown[] = [];
    const res = await call(post(JSON.stringify([row(1)])), {
      scorer: new FakeScorer({ fail: new TypeError('boom at /secret/path.ts:1') }),
      onError: (e) => errors.push(e),
    });
    expectError(res, 500, 'INTERNAL');
    expect(res.body).not.toContain('secret');
    expect(errors).toHaveLength(1);
  });
});

describe('routing and auth', () => {
  it('answers GET /score with 405 and an Allow header', async () => {
    const res = await call({ method: 'GET', path: '/score', headers: {} });
    expectError(res, 405, 'METHOD_NOT_ALLOWED');
    expect(res.headers['allow']).toBe('POST');
  });

  it('answers an unknown route with 404', async () => {
    expectError(await call({ method: 'GET', path: '/nope', headers: {} }), 404, 'NOT_FOUND');
    expectError(await call({ method: 'GET', path: '/constructor', headers: {} }), 404, 'NOT_FOUND');
  });

  it('serves /health and /ready with the model', async () => {
    const res = await call({ method: 'GET', path: '/health', headers: {} });
    expect([res.status, JSON.parse(res.body)]).toEqual([
      200,
      { status: 'ok', model: { name: 'fake', version: '9.9.9' } },
    ]);
  });

  it('serves the OpenAPI document of the served contract', async () => {
    const res = await call({ method: 'GET', path: '/openapi.json', headers: {} });
    const doc = JSON.parse(res.body) as {
      components: { schemas: { FeatureRow: { minItems: number } } };
      info: { description: string };
    };

    expect(res.status).toBe(200);
    expect(doc.components.schemas.FeatureRow.minItems).toBe(50);
    expect(doc.info.description).toContain('(model fake 9.9.9)');
  });

  it('serves /metrics from the registry the app provides, 404 without one', async () => {
    const metrics = { contentType: 'text/plain; version=0.0.4', metrics: () => 'lead_scoring_requests_total 1\n' };
    const res = await call({ method: 'GET', path: '/metrics', headers: {} }, { metrics });
    expect([res.status, res.headers['content-type'], res.body]).toEqual([200, metrics.contentType, metrics.metrics()]);
    expectError(await call({ method: 'GET', path: '/metrics', headers: {} }), 404, 'NOT_FOUND');
  });

  it('with API_KEYS, rejects a missing or wrong x-api-key with 401 and keeps /health open', async () => {
    const apiKeys = ['key-one-aaaaaaaaaaaa', 'key-two-bbbbbbbbbbbb'];
    const body = JSON.stringify([row(1)]);
    expectError(await call(post(body), { apiKeys }), 401, 'UNAUTHORIZED');
    expectError(
      await call(post(body, { headers: { ...JSON_CT, 'x-api-key': 'key-one-aaaaaaaaaaab' } }), { apiKeys }),
      401,
      'UNAUTHORIZED',
    );
    expect((await call(post(body, { headers: { ...JSON_CT, 'x-api-key': apiKeys[1]! } }), { apiKeys })).status).toBe(
      200,
    );
    expect((await call({ method: 'GET', path: '/health', headers: {} }, { apiKeys })).status).toBe(200);
  });

  it('reports each request and each scored batch through notify, after the response is built', async () => {
    const requests: RequestEvent[] = [];
    const scored: ScoredEvent[] = [];
    const api = createScoreApi({
      model: served(),
      onRequest: (e) => requests.push(e),
      onScored: (e) => scored.push(e),
    });

    const ok = await api.handleRequest(post(JSON.stringify([row(1), row(2)]), { requestId: 'r1' }));
    const bad = await api.handleRequest(post('[]'));
    expect(requests).toHaveLength(0);
    api.notify(ok);
    api.notify(bad);

    expect(requests.map((e) => [e.route, e.status, e.errorCode])).toEqual([
      ['/score', 200, undefined],
      ['/score', 422, 'EMPTY_BATCH'],
    ]);
    expect(scored).toHaveLength(1);
    expect(scored[0]).toMatchObject({
      requestId: 'r1',
      route: '/score',
      status: 200,
      nRows: 2,
      model: { name: 'fake' },
    });
    expect(scored[0]!.x).toHaveLength(100);
  });
});

describe("another model's contract", () => {
  const seats = createFeatureContract([
    {
      name: 'seats',
      description: '',
      unit: '',
      kind: 'count',
      min: 1,
      max: 10_000,
      integer: true,
      allowMissing: false,
    },
    {
      name: 'growth',
      description: '',
      unit: '',
      kind: 'number',
      min: -Infinity,
      max: Infinity,
      integer: false,
      allowMissing: true,
    },
  ]);
  const api = createScoreApi({ model: served(new FakeScorer(), seats) });

  it("takes rows of exactly its feature count, and refuses the demo's 50", async () => {
    expect(resultsOf(await api.handleRequest(post('[[3, -0.5], [7, null]]')))).toHaveLength(2);
    expect(expectError(await api.handleRequest(post(JSON.stringify([row(1)]))), 422, 'VALIDATION_FAILED')[0]).toEqual({
      row: 0,
      problem: 'must be an array of exactly 2 values, got 50 values',
    });
  });

  it('takes its own names in the named form, and refuses a demo feature name', async () => {
    expect(resultsOf(await api.handleRequest(post('{"leads":[{"features":{"seats":12}}]}')))).toHaveLength(1);
    expect(
      expectError(
        await api.handleRequest(post('{"leads":[{"features":{"seats":1,"web_visits_30d":3}}]}')),
        422,
        'VALIDATION_FAILED',
      ),
    ).toEqual([{ row: 0, feature: 'web_visits_30d', problem: 'unknown feature name' }]);
  });

  it('reports the scored leads only, with the invalid count, to the scored hook', async () => {
    const scored: ScoredEvent[] = [];
    const hooked = createScoreApi({ model: served(new FakeScorer(), seats), onScored: (e) => scored.push(e) });

    hooked.notify(await hooked.handleRequest(post('[[3, 1], ["x", 1], [4, 2]]')));

    expect(scored[0]).toMatchObject({ nRows: 2, invalidLeads: 1 });
    expect(Array.from(scored[0]!.x)).toEqual([3, 1, 4, 2]);
  });
});

describe('recording before answering', () => {
  it('answers only after the scored leads are recorded, and passes the recorder the scored leads', async () => {
    const recorded: ScoredEvent[] = [];
    const api = createScoreApi({ model: served(), record: (e) => void recorded.push(e) });

    const res = await api.handleRequest(post(JSON.stringify([row(1), row(2)])));

    expect(res.status).toBe(200);
    expect(recorded.map((e) => e.nRows)).toEqual([2]);
  });

  it('answers 503 LAKE_UNAVAILABLE with Retry-After, and no scores, when the leads cannot be recorded', async () => {
    const api = createScoreApi({
      model: served(),
      record: () => Promise.reject(new Error('ENOSPC: no space left on device')),
    });

    const res = await api.handleRequest(post(JSON.stringify([row(1)])));

    expectError(res, 503, 'LAKE_UNAVAILABLE');
    expect(res.headers['retry-after']).toBe('1');
    expect(res.body).not.toContain('"results"');
  });

  it('reports not ready while the API says it is unavailable', async () => {
    let reason: string | undefined = 'lake spool unwritable';
    const api = createScoreApi({ model: served(), unavailable: () => reason });
    const ready = { method: 'GET', path: '/ready', headers: {} };

    expect((await api.handleRequest(ready)).status).toBe(503);
    reason = undefined;
    expect((await api.handleRequest(ready)).status).toBe(200);
  });
});
