/**
 * The Lambda function as deployed (area `api-lambda`; `npx tsx apps/api/bench/lambda.ts` alone): builds the bundle
 * (`nx run api:build`), then runs `dist/apps/api/lambda/index.js` in fresh `node` processes (bench/lambda-run.cjs)
 * on HTTP API events of 50 leads:
 *   - cold start: module load, model load and the first call, and warm p50 of the same call, the lake off (the
 *     handler's own work; median of 3 processes);
 *   - the same with the lake on, each invocation sending its records to a local stand-in for Firehose;
 *   - the zip's size;
 *   - EMF documents and their bytes per invocation on stdout, for 50 valid leads and for 50 leads with 6 flagged
 *     values on 2 features (each flagged pair is one more metric).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { mulberry32, sampleLead } from '@lead-scoring/feature-schema/testing';
import { demoFeatures } from '@lead-scoring/model-bundle/testing';
import { atMost, median, report, spread, type Figure } from '@lead-scoring/bench';
import { ROOT, runCli } from '@lead-scoring/testing';

/** Targets of the Lambda function (apps/api/README.md; one EMF document under 1 KB: docs/observability.md). */
const COLD_TARGET_MS = 300;
const WARM_TARGET_MS = 1;
const ZIP_TARGET_MB = 5;
const EMF_TARGET_BYTES = 1024;
const COLD_RUNS = 3;

/** 50 random valid leads; with `flagged`, six values over two features lie above their published range. */
function body50(flagged: boolean): string {
  const specs = demoFeatures();
  const rng = mulberry32(50);
  const rows = Array.from({ length: 50 }, () => sampleLead(specs, rng));
  if (flagged) {
    const bounded = specs
      .map((s, i) => ({ s, i }))
      .filter(({ s }) => Number.isFinite(s.max))
      .slice(0, 2);
    for (let r = 0; r < 3; r++) for (const { s, i } of bounded) rows[r]![i] = s.max + 1;
  }
  return JSON.stringify(rows);
}

/** An API Gateway HTTP API (payload v2) event posting `body` to /score, shaped as API Gateway sends it. */
function httpApiEvent(body: string): APIGatewayProxyEventV2 {
  const now = Date.now();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/score',
    rawQueryString: '',
    headers: {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      host: 'a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com',
      'user-agent': 'bench',
    },
    requestContext: {
      accountId: '123456789012',
      apiId: 'a1b2c3d4e5',
      domainName: 'a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com',
      domainPrefix: 'a1b2c3d4e5',
      http: { method: 'POST', path: '/score', protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'bench' },
      requestId: 'bench-request',
      routeKey: '$default',
      stage: '$default',
      time: new Date(now).toUTCString(),
      timeEpoch: now,
    },
    body,
    isBase64Encoded: false,
  };
}

/** A local stand-in for Firehose: accepts every PutRecordBatch (the SDK's JSON protocol) and answers in kind. */
async function fakeFirehose(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const records = (JSON.parse(raw) as { Records?: unknown[] }).Records ?? [];
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(
        JSON.stringify({
          FailedPutCount: 0,
          Encrypted: false,
          RequestResponses: records.map((_, i) => ({ RecordId: `r-${i}` })),
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { server, url: `http://127.0.0.1:${port}` };
}

interface LambdaRun {
  moduleLoadMs: number;
  coldMs: number;
  warmP50Ms: number;
  warmP99Ms: number;
  stdout: { emfDocs: number; emfBytes: number }[];
}

/** Builds the bundle, runs it in fresh processes and returns the figures (area `api-lambda`). */
export async function lambdaBench(): Promise<Figure[]> {
  process.stdout.write('bench(api-lambda): building the Lambda bundle (nx run api:build)\n');
  execFileSync('npx', ['nx', 'run', 'api:build'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, NX_DAEMON: 'false' },
  });
  const zipMb = statSync(join(ROOT, 'dist/apps/api/lambda.zip')).size / 1024 / 1024;

  const dir = mkdtempSync(join(tmpdir(), 'bench-lambda-'));
  const firehose = await fakeFirehose();
  try {
    const events = [body50(false), body50(true)].map((body, i) => {
      const path = join(dir, `event-${i}.json`);
      writeFileSync(path, JSON.stringify(httpApiEvent(body)));
      return path;
    });
    const env = {
      ...process.env,
      LOG_LEVEL: 'WARN',
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'bench',
      AWS_SECRET_ACCESS_KEY: 'bench',
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    const bundle = join(ROOT, 'dist/apps/api/lambda/index.js');
    const runBundle = async (args: string[], extraEnv: Record<string, string> = {}): Promise<LambdaRun> => {
      const r = await runCli('apps/api/bench/lambda-run.cjs', [bundle, ...args], { env: { ...env, ...extraEnv } });
      if (r.code !== 0) throw new Error(`the Lambda bundle's process failed (exit ${r.code}):\n${r.stderr}`);
      return JSON.parse(r.stderr.trim().split('\n').pop()!) as LambdaRun;
    };
    const runs: LambdaRun[] = [];
    for (let k = 0; k < COLD_RUNS; k++) runs.push(await runBundle([events[0]!]));
    const withLake = await runBundle([events[0]!, ...events], {
      AWS_ENDPOINT_URL_FIREHOSE: firehose.url,
      FIREHOSE_STREAM_NAME: 'bench-scores',
    });
    const cold = spread(runs.map((r) => r.coldMs));
    const warm = spread(runs.map((r) => r.warmP50Ms));
    const [valid, flagged] = withLake.stdout;
    return [
      atMost(
        {
          metric: 'cold start, lake off: module, model, first 50-lead call',
          value: cold.median,
          unit: 'ms',
          range: [cold.min, cold.max],
        },
        COLD_TARGET_MS,
      ),
      { metric: 'of which module load', value: median(runs.map((r) => r.moduleLoadMs)), unit: 'ms' },
      atMost(
        { metric: 'warm 50-lead call p50, lake off', value: warm.median, unit: 'ms', range: [warm.min, warm.max] },
        WARM_TARGET_MS,
      ),
      { metric: 'warm 50-lead call p99, lake off', value: median(runs.map((r) => r.warmP99Ms)), unit: 'ms' },
      { metric: 'cold start, lake on (Firehose)', value: withLake.coldMs, unit: 'ms' },
      { metric: 'warm 50-lead call p50, lake on (a PutRecordBatch each)', value: withLake.warmP50Ms, unit: 'ms' },
      atMost({ metric: 'zip', value: zipMb, unit: 'MB' }, ZIP_TARGET_MB),
      atMost({ metric: 'EMF documents per invocation', value: valid!.emfDocs, unit: 'documents' }, 1),
      atMost(
        { metric: 'EMF bytes per invocation, 50 valid leads', value: valid!.emfBytes, unit: 'B' },
        EMF_TARGET_BYTES,
      ),
      { metric: 'EMF bytes per invocation, 6 flagged values on 2 features', value: flagged!.emfBytes, unit: 'B' },
    ];
  } finally {
    firehose.server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  lambdaBench().then(
    (figures) => void report('api-lambda', figures),
    (err: unknown) => {
      process.stderr.write(`bench(api-lambda) failed: ${(err as Error).stack ?? String(err)}\n`);
      process.exit(1);
    },
  );
}
