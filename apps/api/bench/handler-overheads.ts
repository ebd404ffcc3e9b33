import { APIGatewayProxyEventV2Schema } from '@aws-lambda-powertools/parser/schemas';
import { createLeadValidator, requestSchemas } from '@lead-scoring/feature-schema';
import { parseScoreBody } from '@lead-scoring/score-api';
import type { Context } from 'aws-lambda';
import { loadConfig } from '../src/config';
import { createLambdaHandler } from '../src/lambda-handler';

const p50 = (fn: () => unknown, n = 3000): number => {
  const t: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    fn();
    t.push(performance.now() - s);
  }
  return t.sort((a, b) => a - b)[n >> 1]!;
};

async function p50Async(fn: () => Promise<unknown>, n = 3000): Promise<number> {
  const t: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    await fn();
    t.push(performance.now() - s);
  }
  return t.sort((a, b) => a - b)[n >> 1]!;
}

/**
 * What the libraries we kept off the hot path would cost per 50-row call, measured in this process:
 * Middy's wrapper (handler vs the bare function), Powertools Parser's API Gateway v2 schema, zod's
 * request schema, against the hand-written parser + validator.
 */
export async function measureHandlerOverheads(
  event: { body: string },
  body1: string,
): Promise<{ middyMs: number; parserMs: number; zodMs: number; fastMs: number; coreCpuUs1: number; coreCpuUs50: number }> {
  // METRICS off: EMF lines on stdout would dominate what is measured here (the cold-start runs keep them).
  const env = { LOG_LEVEL: 'WARN', METRICS: 'off' };
  const lambda = createLambdaHandler({ config: loadConfig(env), env });
  const app = await lambda.app;
  const ctx = { functionName: 'bench', awsRequestId: 'bench' } as Context;
  const e = event as never;
  await p50Async(() => lambda.handler(e, ctx), 500);
  const withMiddy = await p50Async(() => lambda.handler(e, ctx));
  const bare = await p50Async(() => lambda.handleEvent(e));
  const limits = { maxBodyBytes: 1 << 20, validator: createLeadValidator(app.bundle.contract, { maxRows: 1000 }) };
  const { ScoreRequestSchema } = requestSchemas(app.bundle.contract);
  const parsedBody: unknown = JSON.parse(event.body);
  // CPU time per request of the core alone (parse, validate, score, serialise): unlike wall time,
  // it holds up when other work shares the machine.
  const cpuPerCall = async (body: string, n: number): Promise<number> => {
    const req = { method: 'POST', path: '/score', headers: { 'content-type': 'application/json' }, body: Buffer.from(body) };
    for (let i = 0; i < 500; i++) await app.api.handleRequest(req);
    const c0 = process.cpuUsage();
    for (let i = 0; i < n; i++) await app.api.handleRequest(req);
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / n;
  };
  const coreCpuUs1 = await cpuPerCall(body1, 20_000);
  const coreCpuUs50 = await cpuPerCall(event.body, 3_000);
  return {
    coreCpuUs1,
    coreCpuUs50,
    middyMs: Math.max(0, withMiddy - bare),
    parserMs: p50(() => APIGatewayProxyEventV2Schema.parse(event)),
    zodMs: p50(() => ScoreRequestSchema.safeParse(parsedBody)),
    fastMs: p50(() => parseScoreBody(event.body, limits)),
  };
}
