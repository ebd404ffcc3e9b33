import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { epochMs } from '../engine/clock';
import { TRANSPORT_ERRORS, type Outcome, type Target } from '../engine/outcome';
import { LoadTestError } from '../errors';

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult | undefined>;

/** Options of {@link createLambdaTarget}. */
export interface LambdaTargetOptions {
  handlerPath: string;
  apiKey?: string;
  contentType: string;
  timeoutMs: number;
  /** Body of the first (cold) call, made before the schedule starts so it is reported apart. */
  firstBody: Buffer;
}

/**
 * Loads a built Lambda handler (`exports.handler`) into this process and invokes it with
 * API Gateway REST (payload v1) events. Module load and the first call are timed apart from
 * the warm calls the run measures, which is how Lambda bills a cold start.
 *
 * @example
 * const target = await createLambdaTarget({ handlerPath: 'dist/apps/api/lambda/index.js', contentType: 'application/json', timeoutMs: 10_000, firstBody });
 * target.cold; // { initMs: 180.2, firstCallMs: 6.1 }
 */
export async function createLambdaTarget(opts: LambdaTargetOptions): Promise<Target> {
  const started = epochMs();
  const handler = await loadHandler(opts.handlerPath);
  const initMs = epochMs() - started;
  const firstStarted = epochMs();
  const first = await invoke(handler, event(opts, opts.firstBody), opts.timeoutMs);
  const firstCallMs = epochMs() - firstStarted;
  if ('error' in first && first.error !== TRANSPORT_ERRORS.TIMEOUT) {
    throw new LoadTestError(
      'HANDLER_LOAD_FAILED',
      `--handler ${opts.handlerPath}: the first invocation threw (${first.error})`,
    );
  }
  return {
    kind: 'lambda',
    cold: { initMs, firstCallMs },
    send(body: Buffer, done: (outcome: Outcome) => void): void {
      invoke(handler, event(opts, body), opts.timeoutMs).then(done, () => done({ error: TRANSPORT_ERRORS.OTHER }));
    },
    close: () => Promise.resolve(),
  };
}

async function loadHandler(handlerPath: string): Promise<Handler> {
  let mod: { handler?: unknown; default?: { handler?: unknown } };
  try {
    mod = (await import(pathToFileURL(resolve(handlerPath)).href)) as typeof mod;
  } catch (err) {
    throw new LoadTestError(
      'HANDLER_LOAD_FAILED',
      `--handler ${handlerPath}: cannot load it (${(err as Error).message}); run \`npx nx run api:build\` first`,
      { cause: err },
    );
  }
  const handler = mod.handler ?? mod.default?.handler;
  if (typeof handler !== 'function') {
    throw new LoadTestError(
      'HANDLER_LOAD_FAILED',
      `--handler ${handlerPath}: the module exports no "handler" function`,
    );
  }
  return handler as Handler;
}

async function invoke(handler: Handler, ev: APIGatewayProxyEvent, timeoutMs: number): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Outcome>((done) => {
    timer = setTimeout(() => done({ error: TRANSPORT_ERRORS.TIMEOUT }), timeoutMs);
  });
  const call = (async (): Promise<Outcome> => {
    try {
      const result = await handler(ev, context());
      return typeof result?.statusCode === 'number' ? { status: result.statusCode } : { error: 'bad_handler_result' };
    } catch {
      return { error: 'handler_threw' };
    }
  })();
  const outcome = await Promise.race([call, timeout]);
  clearTimeout(timer);
  return outcome;
}

function event(opts: LambdaTargetOptions, body: Buffer): APIGatewayProxyEvent {
  const headers: Record<string, string> = {
    'Content-Type': opts.contentType,
    Accept: 'application/json',
    Host: 'localhost',
  };
  if (opts.apiKey !== undefined) headers['x-api-key'] = opts.apiKey;
  const requestId = randomUUID();
  return {
    resource: '/score',
    path: '/score',
    httpMethod: 'POST',
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: body.toString('utf8'),
    isBase64Encoded: false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'loadtest',
      authorizer: null,
      protocol: 'HTTP/1.1',
      httpMethod: 'POST',
      identity: identity(),
      path: '/prod/score',
      stage: 'prod',
      requestId,
      requestTimeEpoch: Date.now(),
      resourceId: 'score',
      resourcePath: '/score',
    },
  };
}

function identity(): APIGatewayProxyEvent['requestContext']['identity'] {
  return {
    accessKey: null,
    accountId: null,
    apiKey: null,
    apiKeyId: null,
    caller: null,
    clientCert: null,
    cognitoAuthenticationProvider: null,
    cognitoAuthenticationType: null,
    cognitoIdentityId: null,
    cognitoIdentityPoolId: null,
    principalOrgId: null,
    sourceIp: '127.0.0.1',
    user: null,
    userAgent: 'lead-scoring-load-tester',
    userArn: null,
  };
}

function context(): Context {
  const deadline = Date.now() + 30_000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'lead-scoring-api',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:lead-scoring-api',
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: '/aws/lambda/lead-scoring-api',
    logStreamName: 'load-tester',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
