// A challenger served as the shadow model beside production: by the local server over HTTP (its lake rows carry
// both results), by the Lambda handler (its Firehose records do), and refused at start when it cannot score
// production's requests. Production and challenger are real bundles: the demo (5 classes) and the example models
// fit-12 (binary) and intent-80 (multi-class), each with a challenger XGBoost cut to its first rounds.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { mockClient } from 'aws-sdk-client-mock';
import { mulberry32, sampleLead } from '@lead-scoring/feature-schema/testing';
import type { ModelBundle } from '@lead-scoring/model-bundle';
import type { ShadowResult } from '@lead-scoring/score-api';
import type { LeadScore } from '@lead-scoring/scoring-client';
import { exited, startTsx, duckdb } from '@lead-scoring/testing';
import { loadConfig } from '../src/config';
import { createServerHooks, type ApiHooks } from '../src/hooks';
import { createLambdaHandler } from '../src/lambda-handler';
import { startServer } from '../src/server';
import { SHADOW_CASES, directScores, loadCase, type ShadowCase } from './support/challengers';

jest.setTimeout(300_000);
process.env['AWS_REGION'] = 'us-east-1';
process.env['AWS_ACCESS_KEY_ID'] = 'test';
process.env['AWS_SECRET_ACCESS_KEY'] = 'test';
process.env['AWS_EC2_METADATA_DISABLED'] = 'true';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };
let work: string;
const cases = new Map<ShadowCase, Awaited<ReturnType<typeof loadCase>>>();

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'shadow-e2e-'));
  for (const kind of SHADOW_CASES) cases.set(kind, await loadCase(kind, work));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** `n` random valid leads of a bundle as rows (null = missing) and as the float32 matrix the model sees. */
function leads(bundle: ModelBundle, n: number, seed: number): { rows: (number | null)[][]; x: Float32Array } {
  const rng = mulberry32(seed);
  const rows = Array.from({ length: n }, () => sampleLead(bundle.contract.features, rng) as (number | null)[]);
  return { rows, x: Float32Array.from(rows.flat(), (v) => (v === null ? NaN : v)) };
}

/** What the lake keeps of a result: scores, and probabilities as float32. */
const asStored = (r: LeadScore): unknown[] => [
  r.score,
  r.probabilities?.map(Math.fround) ?? null,
  r.probability === undefined ? null : Math.fround(r.probability),
];

const sql = duckdb;

describe.each(SHADOW_CASES)('the %s challenger as the shadow of the local server', (kind) => {
  it('agrees exactly with a direct evaluation of the challenger on every lead, and the lake rows carry both results', async () => {
    const { production, challenger, dirs } = cases.get(kind)!;
    const lakeDir = join(work, `lake-${kind}`);
    const seen: ShadowResult[] = [];
    const hooks = (b: ModelBundle, shadow?: boolean): ApiHooks => {
      const h = createServerHooks({
        logger: silent,
        bundle: b,
        shadow: shadow ?? false,
        env: { LAKE_DIR: lakeDir, METRICS: 'on' },
      });
      return { ...h, onShadow: (e, r) => (seen.push(r), h.onShadow?.(e, r)) };
    };
    const server = await startServer(
      loadConfig({ PORT: '0', MODEL_DIR: dirs[0], SHADOW_MODEL_DIR: dirs[1], LOG_LEVEL: 'SILENT' }),
      { hooks, host: '127.0.0.1', warmUpMs: 50 },
    );
    const batches = [leads(production, 1, 11), leads(production, 17, 12), leads(production, 30, 13)];

    const answers: LeadScore[] = [];
    for (const b of batches) {
      const res = await fetch(`${server.url}/score`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(b.rows),
      });
      expect(res.status).toBe(200);
      answers.push(...((await res.json()) as { results: LeadScore[] }).results);
    }
    await server.app.shadow!.idle();
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    await server.shutdown();

    const expected = batches.flatMap((b) => directScores(challenger, b.x, b.rows.length));
    expect(seen.flatMap((s) => s.results)).toEqual(expected);
    expect(seen.every((s) => s.model.version === '2.0.0')).toBe(true);
    const rows = await sql(`select score, shadow_model_version, shadow_score, shadow_probabilities, shadow_probability
      from read_parquet('${lakeDir}/scores/*/*/*.parquet') order by ts, request_id, lead_id`);
    expect(rows).toHaveLength(48);
    const byRequest = (
      await sql(
        `select count(*)::int as n from read_parquet('${lakeDir}/scores/*/*/*.parquet') where shadow_score is null`,
      )
    )[0]!;
    expect(byRequest['n']).toBe(0);
    const stored = new Set(
      rows.map((r) => JSON.stringify([r['shadow_score'], r['shadow_probabilities'], r['shadow_probability']])),
    );
    for (const r of expected) expect(stored.has(JSON.stringify(asStored(r)))).toBe(true);
    const agreement = [
      ...metrics.matchAll(/lead_scoring_shadow_agreement_total\{production="(\d)",shadow="(\d)"\} (\d+)/g),
    ];
    expect(agreement.reduce((s, m) => s + Number(m[3]), 0)).toBe(48);
    const diagonal = answers.filter((a, i) => a.score === expected[i]!.score).length;
    expect(agreement.filter((m) => m[1] === m[2]).reduce((s, m) => s + Number(m[3]), 0)).toBe(diagonal);
  });
});

describe('the shadow model in the Lambda handler', () => {
  const firehose = mockClient(FirehoseClient);
  afterAll(() => firehose.restore());

  it('sends each lead to Firehose with the challenger result beside the production one', async () => {
    const { production, challenger, dirs } = cases.get('intent-80')!;
    firehose.on(PutRecordBatchCommand).resolves({ FailedPutCount: 0, RequestResponses: [] });
    const env = {
      LOG_LEVEL: 'SILENT',
      METRICS: 'off',
      FIREHOSE_STREAM_NAME: 'lead-scores',
      MODEL_DIR: dirs[0],
      SHADOW_MODEL_DIR: dirs[1],
    };
    const lambda = createLambdaHandler({ config: loadConfig(env), env });
    const batch = leads(production, 12, 21);
    const event = {
      httpMethod: 'POST',
      path: '/score',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(batch.rows),
      requestContext: { requestId: 'shadow-1' },
    } as unknown as APIGatewayProxyEvent;

    const res = await lambda.handler(event, { getRemainingTimeInMillis: () => 10_000 } as unknown as Context);

    expect(res.statusCode).toBe(200);
    const records = firehose
      .commandCalls(PutRecordBatchCommand)
      .flatMap((c) => c.args[0].input.Records ?? [])
      .map((r) => JSON.parse(new TextDecoder().decode(r.Data)) as Record<string, unknown>);
    const expected = directScores(challenger, batch.x, 12);
    expect(
      records.map((r) => [
        r['shadow_model_version'],
        r['shadow_score'],
        r['shadow_probabilities'],
        r['shadow_probability'],
      ]),
    ).toEqual(expected.map((s) => ['2.0.0', s.score, s.probabilities, null]));
  });
});

describe('a challenger that cannot score production requests', () => {
  it('stops `npm start` with a non-zero exit and a message naming the missing features', async () => {
    const child = startTsx('apps/api/src/main.ts', {
      PORT: '0',
      WORKERS: '1',
      LAKE: 'off',
      MODEL_DIR: cases.get('fit-12')!.dirs[0],
      SHADOW_MODEL_DIR: cases.get('demo')!.dirs[1],
    });

    const code = await exited(child.proc);

    expect(code).not.toBe(0);
    expect(child.output()).toMatch(
      /\[SHADOW_CONTRACT_MISMATCH\] the shadow model cannot score production's requests: it needs 50 feature\(s\)/,
    );
  });
});
