import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { APIGatewayProxyEventSchema, APIGatewayProxyEventV2Schema } from '@aws-lambda-powertools/parser/schemas';
import { ErrorResponseSchema, ScoreResponseSchema, type ScoredResult } from '@lead-scoring/feature-schema';
import { loadBundle, DEMO_BUNDLE_DIR } from '@lead-scoring/model-bundle';
import { loadConfig } from '../src/config';
import { createLambdaHandler } from '../src/lambda-handler';
import v1Sample from './fixtures/apigw-rest-v1-post-score.json';
import v2Sample from './fixtures/apigw-http-v2-post-score-base64.json';

const v1 = v1Sample as unknown as APIGatewayProxyEvent;
const v2 = v2Sample as unknown as APIGatewayProxyEventV2;
const env = { LOG_LEVEL: 'SILENT' };
const lambda = createLambdaHandler({ config: loadConfig(env), env });
const context = { functionName: 'lead-scoring-api', awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678' } as Context;

describe('Lambda handler', () => {
  it('uses fixtures that are valid API Gateway events by Powertools Parser schemas', () => {
    expect(APIGatewayProxyEventSchema.safeParse(v1Sample).success).toBe(true);
    expect(APIGatewayProxyEventV2Schema.safeParse(v2Sample).success).toBe(true);
  });

  it('scores a REST API (v1) event like XGBoost, with the API Gateway request id', async () => {
    const bundle = await loadBundle(DEMO_BUNDLE_DIR);

    const res = await lambda.handler(v1, context);

    expect(res.statusCode).toBe(200);
    const body = ScoreResponseSchema.parse(JSON.parse(res.body));
    expect(body.request_id).toBe('77375676-xmpl-4b79-853a-f982474efe18');
    expect(body.model).toEqual({ name: bundle.manifest.name, version: bundle.manifest.version });
    const expected = bundle.manifest.reference!.predictions.slice(0, 2);
    (body.results as ScoredResult[]).forEach((r, i) => {
      r.probabilities!.forEach((p, k) => expect(p).toBeCloseTo(expected[i]![k]!, 6));
    });
  });

  it('scores an HTTP API (v2) event with a base64 body and ?explain=3', async () => {
    const res = await lambda.handler(v2, context);

    expect(res.statusCode).toBe(200);
    const body = ScoreResponseSchema.parse(JSON.parse(res.body));
    expect(body.request_id).toBe('JKJaXmPLvHcESHA=');
    expect(body.results).toHaveLength(2);
    for (const r of body.results as ScoredResult[]) expect(r.reasons).toHaveLength(3);
  });

  it('answers 413 EXPLAIN_TOO_MANY_ROWS when ?explain asks for more leads than MAX_EXPLAIN_ROWS', async () => {
    const capped = { ...env, MAX_EXPLAIN_ROWS: '1' };
    const small = createLambdaHandler({ config: loadConfig(capped), env: capped });

    const res = await small.handler(v2, context);

    expect(res.statusCode).toBe(413);
    expect(ErrorResponseSchema.parse(JSON.parse(res.body)).error.code).toBe('EXPLAIN_TOO_MANY_ROWS');
  });

  it('strips a named stage from the v2 rawPath', async () => {
    const staged = {
      ...v2,
      rawPath: '/prod/health',
      requestContext: { ...v2.requestContext, stage: 'prod', http: { ...v2.requestContext.http, method: 'GET' } },
    };
    const res = await lambda.handler(staged, context);
    expect(res.statusCode).toBe(200);
  });

  it('reads mixed-case v1 headers: a text/plain Content-Type gets 415', async () => {
    const res = await lambda.handler({ ...v1, headers: { ...v1.headers, 'Content-Type': 'text/plain' } }, context);
    expect(res.statusCode).toBe(415);
    expect(ErrorResponseSchema.parse(JSON.parse(res.body)).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it.each([
    ['GET /score', { httpMethod: 'GET', body: null }, 405, 'METHOD_NOT_ALLOWED'],
    ['an unknown route', { path: '/admin' }, 404, 'NOT_FOUND'],
    ['invalid JSON', { body: '[[1,' }, 400, 'INVALID_JSON'],
    ['an empty batch', { body: '[]' }, 422, 'EMPTY_BATCH'],
    ['a bad base64 body', { body: '!!!not-base64', isBase64Encoded: true }, 400, 'INVALID_JSON'],
  ])('answers %s with a JSON 4xx', async (_what, patch, status, code) => {
    const res = await lambda.handler({ ...v1, ...patch } as APIGatewayProxyEvent, context);
    expect(res.statusCode).toBe(status);
    expect(ErrorResponseSchema.parse(JSON.parse(res.body)).error.code).toBe(code);
  });

  it('with API_KEYS, answers 401 without x-api-key and 200 with it; /health stays open', async () => {
    const keyed = { LOG_LEVEL: 'SILENT', API_KEYS: 'a-very-secret-key-123' };
    const secured = createLambdaHandler({ config: loadConfig(keyed), env: keyed });

    expect((await secured.handler(v1, context)).statusCode).toBe(401);
    const withKey = { ...v1, headers: { ...v1.headers, 'X-Api-Key': 'a-very-secret-key-123' } };
    expect((await secured.handler(withKey, context)).statusCode).toBe(200);
    expect((await secured.handler({ ...v1, path: '/health', httpMethod: 'GET' }, context)).statusCode).toBe(200);
  });

  it('answers 503 NOT_READY when the model cannot load', async () => {
    const broken = { LOG_LEVEL: 'SILENT', MODEL_DIR: '/nonexistent/model' };
    const failing = createLambdaHandler({ config: loadConfig(broken), env: broken });

    const res = await failing.handler(v1, context);

    expect(res.statusCode).toBe(503);
    expect(ErrorResponseSchema.parse(JSON.parse(res.body)).error.code).toBe('NOT_READY');
  });
});
