// Models trained outside the project (models/examples, by tools/example-models/train_examples.py with XGBoost
// 1.7.4), bundled by `deploy-model init` as a new user would, served with no code change: by `npm start`
// (a child process, MODEL_DIR) and by the Lambda handler, and compared with XGBoost's own predictions.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { ScoreResponseSchema, type ScoredResult } from '@lead-scoring/feature-schema';
import { exampleExpected, initExampleBundle, type ExampleModel } from '@lead-scoring/model-bundle/testing';
import { loadConfig } from '../src/config';
import { createLambdaHandler } from '../src/lambda-handler';
import { exited, freePort, ROOT, TSX, waitReady } from './support/child-server';
import { readLakeRows } from './support/lake-rows';
import v1Sample from './fixtures/apigw-rest-v1-post-score.json';

jest.setTimeout(240_000);

const MODELS: ExampleModel[] = ['fit-12', 'intent-80'];
const TOLERANCE = 1e-6;
let work: string;
const bundles = new Map<ExampleModel, string>();

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'byom-'));
  for (const name of MODELS) bundles.set(name, await initExampleBundle(name, join(work, name)));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** What the API answers for a lead, as XGBoost's `predict` shapes it: the probability or the probabilities. */
const predictionOf = (r: ScoredResult): number | number[] => r.probabilities ?? r.probability ?? Number.NaN;

/** The largest difference between XGBoost's predictions and the API's, over every row and class. */
function maxDiff(expected: readonly (number | number[])[], got: readonly (number | number[])[]): number {
  expect(got).toHaveLength(expected.length);
  let max = 0;
  expected.forEach((want, i) => {
    const w = [want].flat();
    const g = [got[i]!].flat();
    expect(g).toHaveLength(w.length);
    w.forEach((v, k) => (max = Math.max(max, Math.abs(v - g[k]!))));
  });
  return max;
}

/** The named form of rows: missing values left out, lead ids `lead-<i>`. */
function namedBody(names: readonly string[], rows: readonly (number | null)[][]): string {
  const leads = rows.map((row, i) => ({
    lead_id: `lead-${i}`,
    features: Object.fromEntries(names.flatMap((n, j) => (row[j] === null ? [] : [[n, row[j]]]))),
  }));
  return JSON.stringify({ leads });
}

describe.each(MODELS)('a model trained outside the project (%s), bundled by deploy-model init', (name) => {
  const expected = exampleExpected(name);

  it('is served by npm start with MODEL_DIR: both request forms match XGBoost, and its contract is what the server publishes, counts and records', async () => {
    const port = await freePort();
    const url = `http://localhost:${port}`;
    const lake = join(work, `lake-${name}`);
    const env = {
      ...process.env,
      PORT: String(port),
      WORKERS: '2',
      MODEL_DIR: bundles.get(name)!,
      LAKE_DIR: lake,
      LOG_LEVEL: 'WARN',
    };
    const child: ChildProcess = spawn(TSX, ['--tsconfig', 'tsconfig.base.json', 'apps/api/src/main.ts'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    try {
      await waitReady(url, child, 120_000).catch((err: Error) => {
        throw new Error(`${err.message}\n${out}`);
      });
      const post = (body: string) =>
        fetch(`${url}/score`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

      const byRows = ScoreResponseSchema.parse(await (await post(JSON.stringify(expected.rows))).json());
      const byName = ScoreResponseSchema.parse(
        await (await post(namedBody(expected.feature_names, expected.rows))).json(),
      );
      // The drift window of each worker reports per-feature series from 200 rows on.
      for (let i = 0; i < 8; i++) expect((await post(JSON.stringify(expected.rows))).status).toBe(200);
      const demoRow = await post(JSON.stringify([new Array(50).fill(0)]));
      const demoName = await post(JSON.stringify({ leads: [{ features: { web_visits_30d: 3 } }] }));
      const doc = (await (await fetch(`${url}/openapi.json`)).json()) as {
        components: { schemas: { NamedFeatures: { properties: object } } };
      };
      const metrics = await (await fetch(`${url}/metrics`)).text();
      child.kill('SIGTERM');
      expect(await exited(child)).toBe(0);

      expect(byRows.model).toEqual({ name, version: '1.0.0' });
      expect(maxDiff(expected.predictions, (byRows.results as ScoredResult[]).map(predictionOf))).toBeLessThanOrEqual(
        TOLERANCE,
      );
      expect(maxDiff(expected.predictions, (byName.results as ScoredResult[]).map(predictionOf))).toBeLessThanOrEqual(
        TOLERANCE,
      );
      expect(byName.results.map((r) => r.lead_id)).toEqual(expected.rows.map((_, i) => `lead-${i}`));
      expect(demoRow.status).toBe(422);
      expect(((await demoRow.json()) as { error: { details: { problem: string }[] } }).error.details[0]!.problem).toBe(
        `must be an array of exactly ${expected.feature_names.length} values, got 50 values`,
      );
      expect(((await demoName.json()) as { error: { details: unknown[] } }).error.details).toContainEqual({
        row: 0,
        feature: 'web_visits_30d',
        problem: 'unknown feature name',
      });
      expect(Object.keys(doc.components.schemas.NamedFeatures.properties)).toEqual(expected.feature_names);
      expect(metrics).toContain(`lead_scoring_feature_missing_rate{feature="${expected.feature_names[0]}"}`);
      expect(metrics).not.toContain('feature="web_visits_30d"');
      const rows = await readLakeRows(lake);
      expect(rows).toHaveLength(10 * expected.rows.length);
      expect(Object.keys(rows[0]!)).toEqual(expect.arrayContaining(expected.feature_names));
      expect(Object.keys(rows[0]!)).not.toContain('web_visits_30d');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('is served by the Lambda handler with MODEL_DIR, matching XGBoost', async () => {
    const env = { LOG_LEVEL: 'SILENT', METRICS: 'off', MODEL_DIR: bundles.get(name)! };
    const lambda = createLambdaHandler({ config: loadConfig(env), env });
    const event = { ...(v1Sample as unknown as APIGatewayProxyEvent), body: JSON.stringify(expected.rows) };

    const res = await lambda.handler(event, { functionName: 'byom', awsRequestId: 'r-1' } as Context);

    expect(res.statusCode).toBe(200);
    const body = ScoreResponseSchema.parse(JSON.parse(res.body));
    expect(body.model).toEqual({ name, version: '1.0.0' });
    expect(maxDiff(expected.predictions, (body.results as ScoredResult[]).map(predictionOf))).toBeLessThanOrEqual(
      TOLERANCE,
    );
  });
});
