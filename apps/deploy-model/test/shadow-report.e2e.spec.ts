// End to end: `npm start` serves lead-test 1.0.0 with 2.0.0 as its shadow model, records both in its Parquet lake;
// `shadow-report` reads that lake (from the folder, and from an S3-compatible server), and its agreement matrix is
// checked against an independent count in DuckDB SQL; its HTML page is rendered by headless Chromium.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mulberry32, sampleLead } from '@lead-scoring/feature-schema/testing';
import { demoFeatures } from '@lead-scoring/model-bundle/testing';
import { duckdb, freePort, startTsx, waitFor200, type Child } from '@lead-scoring/testing';
import { tempDir, writeLeadBundle } from './helpers/bundles';
import { distinctColours, readPng } from './helpers/png';
import { envWithoutAws, runCli } from './helpers/run-cli';
// s3rver ships no types; it is a test-only dev dependency.
const S3rver = require('s3rver') as new (opts: Record<string, unknown>) => {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
};

jest.setTimeout(240_000);

const SPECS = demoFeatures();
let work: string;
let lake: string;
let v1: string;
let v2: string;

/** The agreement matrix printed by shadow-report: five rows of five counts. */
function printedMatrix(stdout: string): number[][] {
  const cells = stdout.split('\n').map((l) => l.trim().split(/\s+/));
  return cells
    .filter((c) => c.length === 6 && /^[1-5]$/.test(c[0]!) && c.every((t) => /^\d+$/.test(t)))
    .map((c) => c.slice(1).map(Number));
}

const sql = duckdb;

beforeAll(async () => {
  work = tempDir('shadow-report-');
  lake = path.join(work, 'lake');
  v1 = writeLeadBundle(path.join(work, 'v1'), 'v1');
  v2 = writeLeadBundle(path.join(work, 'v2'), 'v2');
  const port = await freePort();
  const server: Child = startTsx('apps/api/src/main.ts', {
    PORT: String(port),
    WORKERS: '1',
    MODEL_DIR: v1,
    SHADOW_MODEL_DIR: v2,
    LAKE_DIR: lake,
    LOG_LEVEL: 'ERROR',
  });
  try {
    await waitFor200(`http://127.0.0.1:${port}/ready`, server, 120_000);
    const rng = mulberry32(5);
    for (let r = 0; r < 30; r++) {
      const rows = Array.from({ length: 20 }, () => sampleLead(SPECS, rng));
      const res = await fetch(`http://127.0.0.1:${port}/score`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(rows),
      });
      expect(res.status).toBe(200);
    }
  } finally {
    await server.stop();
  }
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('shadow-report', () => {
  it('prints the agreement matrix DuckDB counts from the same lake, every lead scored by both models', async () => {
    const res = await runCli(['shadow-report', '--lake', lake]);

    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const counts = await sql(
      `select score, shadow_score, count(*)::int as n from read_parquet('${lake}/scores/*/*/*.parquet') group by all`,
    );
    const expected = Array.from({ length: 5 }, () => [0, 0, 0, 0, 0]);
    for (const c of counts) expected[(c['score'] as number) - 1]![(c['shadow_score'] as number) - 1] = c['n'] as number;
    expect(printedMatrix(res.stdout)).toEqual(expected);
    expect(res.stdout).toContain('600 leads scored by production and shadow (0 without a shadow result)');
    expect(res.stdout).toMatch(/production 1\.0\.0, shadow 2\.0\.0/);
  });

  it('writes an HTML page that headless Chromium renders as charts, with the contribution comparison', async () => {
    const html = path.join(work, 'shadow.html');
    const png = path.join(work, 'shadow.png');

    const res = await runCli([
      'shadow-report',
      '--lake',
      lake,
      '--html',
      html,
      '--model',
      v1,
      '--shadow-model',
      v2,
      '--sample',
      '200',
    ]);
    execFileSync(
      '/usr/bin/chromium',
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--hide-scrollbars',
        `--screenshot=${png}`,
        '--window-size=1200,1400',
        `file://${html}`,
      ],
      { stdio: 'ignore', timeout: 60_000 },
    );

    expect(res.code).toBe(0);
    expect(res.stdout).toContain('Features whose TreeSHAP contributions changed the most');
    const page = readFileSync(html, 'utf8');
    expect(page).not.toMatch(/(src|href)=["']https?:/);
    expect((page.match(/<svg /g) ?? []).length).toBe(4);
    const image = readPng(png);
    expect([image.width, image.height]).toEqual([1200, 1400]);
    expect(distinctColours(image)).toBeGreaterThan(50);
  });

  it('reads the same lake from S3 (s3rver), for shadow-report and drift-report alike', async () => {
    const dir = tempDir('s3rver-lake-');
    const server = new S3rver({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory: dir,
      configureBuckets: [{ name: 'lead-scoring-lake-test' }],
    });
    const { port } = await server.run();
    const endpoint = `http://127.0.0.1:${port}`;
    const s3 = new S3Client({
      region: 'eu-west-1',
      endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    try {
      for (const day of readdirSync(path.join(lake, 'scores'))) {
        for (const hour of readdirSync(path.join(lake, 'scores', day))) {
          for (const f of readdirSync(path.join(lake, 'scores', day, hour))) {
            // Firehose names its objects without an extension.
            const Key = `scores/${day}/${hour}/${f.replace(/\.parquet$/, '')}`;
            await s3.send(
              new PutObjectCommand({
                Bucket: 'lead-scoring-lake-test',
                Key,
                Body: readFileSync(path.join(lake, 'scores', day, hour, f)),
              }),
            );
          }
        }
      }
      const env = envWithoutAws({
        NODE_NO_WARNINGS: '1',
        AWS_ENDPOINT_URL_S3: endpoint,
        AWS_REGION: 'eu-west-1',
        AWS_ACCESS_KEY_ID: 'S3RVER',
        AWS_SECRET_ACCESS_KEY: 'S3RVER',
      });

      const [local, remote] = [
        await runCli(['shadow-report', '--lake', lake]),
        await runCli(['shadow-report', '--lake', 's3://lead-scoring-lake-test'], { env }),
      ];
      const manifest = path.join(v1, 'manifest.json');
      const [driftLocal, driftRemote] = [
        await runCli(['drift-report', '--lake', lake, '--manifest', manifest]),
        await runCli(['drift-report', '--lake', 's3://lead-scoring-lake-test', '--manifest', manifest], { env }),
      ];

      expect([remote.code, remote.stderr]).toEqual([0, '']);
      expect(printedMatrix(remote.stdout)).toEqual(printedMatrix(local.stdout));
      expect(remote.stdout.split('\n').slice(1)).toEqual(local.stdout.split('\n').slice(1));
      expect([driftRemote.code, driftRemote.stderr]).toEqual([0, '']);
      expect(driftRemote.stdout.split(lake).join('<lake>').replace('s3://lead-scoring-lake-test', '<lake>')).toBe(
        driftLocal.stdout.split(lake).join('<lake>'),
      );
    } finally {
      s3.destroy();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 2 when no lead since --since has a shadow result, and 1 with a message on a malformed --since', async () => {
    const future = await runCli(['shadow-report', '--lake', lake, '--since', '2999-01-01']);
    const bad = await runCli(['shadow-report', '--lake', lake, '--since', 'yesterday']);

    expect([future.code, future.stderr]).toEqual([
      2,
      expect.stringContaining('error [SHADOW_NO_DATA]: no lead scored by a shadow model'),
    ]);
    expect([bad.code, bad.stderr]).toEqual([
      1,
      expect.stringContaining('--since must be a date, a UTC time or a duration'),
    ]);
  });

  it('has a published lake to report on: the spool is empty after the server stopped', () => {
    const spool = path.join(lake, 'spool');
    expect(readdirSync(spool).filter((f) => statSync(path.join(spool, f)).isFile() && /\.(open|wal)$/.test(f))).toEqual(
      [],
    );
  });
});
