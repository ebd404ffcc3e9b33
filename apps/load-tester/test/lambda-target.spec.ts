import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { Outcome } from '../src/engine/outcome';
import { LoadTestError } from '../src/errors';
import { createLambdaTarget } from '../src/targets/lambda-target';

describe('in-process Lambda handler target', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lambda-target-'));
    writeFileSync(
      join(dir, 'handler.js'),
      `const started = Date.now(); while (Date.now() - started < 30) {} // a measurable module init
       exports.events = [];
       exports.handler = async (event) => {
         exports.events.push(event);
         const body = JSON.parse(event.body);
         return { statusCode: Array.isArray(body) && body.length > 0 ? 200 : 400, body: '{}' };
       };`,
    );
    writeFileSync(join(dir, 'no-handler.js'), 'exports.nothing = 1;');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('times module init and the first call apart, then invokes with API Gateway v1 events', async () => {
    const target = await createLambdaTarget({
      handlerPath: join(dir, 'handler.js'),
      apiKey: 'k',
      contentType: 'application/json',
      timeoutMs: 1000,
      firstBody: Buffer.from('[[1]]'),
    });

    const outcomes = await Promise.all(
      ['[[1]]', '[]'].map((b) => new Promise<Outcome>((r) => target.send(Buffer.from(b), r))),
    );

    expect(target.cold?.initMs).toBeGreaterThanOrEqual(25);
    expect(target.cold?.firstCallMs).toBeGreaterThanOrEqual(0);
    expect(outcomes).toEqual([{ status: 200 }, { status: 400 }]);
    // eslint-disable-next-line security/detect-non-literal-require
    const events = (require(join(dir, 'handler.js')) as { events: APIGatewayProxyEvent[] }).events;
    expect(events[1]).toMatchObject({
      httpMethod: 'POST',
      path: '/score',
      resource: '/score',
      isBase64Encoded: false,
      body: '[[1]]',
      headers: { 'x-api-key': 'k' },
      requestContext: { stage: 'prod', httpMethod: 'POST' },
    });
  });

  it('rejects a file without a handler export as a usage error', async () => {
    await expect(
      createLambdaTarget({
        handlerPath: join(dir, 'no-handler.js'),
        contentType: 'application/json',
        timeoutMs: 1000,
        firstBody: Buffer.from('[]'),
      }),
    ).rejects.toThrow(LoadTestError);
    await expect(
      createLambdaTarget({
        handlerPath: join(dir, 'missing.js'),
        contentType: 'application/json',
        timeoutMs: 1000,
        firstBody: Buffer.from('[]'),
      }),
    ).rejects.toThrow(/cannot load it/);
  });
});
