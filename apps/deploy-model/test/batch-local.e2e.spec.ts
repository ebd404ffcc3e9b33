import { open, readFile, writeFile } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { mulberry32, sampleLead } from '@lead-scoring/feature-schema/testing';
import { DEMO_BUNDLE_DIR, loadBundle } from '@lead-scoring/model-bundle';
import { demoFeatures } from '@lead-scoring/model-bundle/testing';
import { freePort, startTsx, waitFor200, type Child } from '@lead-scoring/testing';
import { splitRecords } from '../src/batch/split-records';
import { tempDir } from './helpers/bundles';
import { envWithoutAws, runCli } from './helpers/run-cli';

const MB = 1024 * 1024;
const ROWS = 20_000;

/** Demo leads as Batch Transform input: no header, one lead a line, features in manifest order, empty = missing. */
function featureLines(): { rows: (number | null)[][]; text: string } {
  const rng = mulberry32(17);
  const rows = Array.from({ length: ROWS }, () => sampleLead(demoFeatures(), rng));
  return { rows, text: rows.map((r) => r.map((v) => (v === null ? '' : String(v))).join(',')).join('\n') + '\n' };
}

describe('batch --target local: the Batch Transform contract against the model server', () => {
  let dir: string;
  let input: string;
  let rows: (number | null)[][];
  let server: Child;
  let url: string;

  beforeAll(async () => {
    dir = tempDir('batch-local-');
    input = path.join(dir, 'leads.csv');
    const lines = featureLines();
    rows = lines.rows;
    await writeFile(input, lines.text);
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    // What SageMaker starts the container with for a job of MaxPayloadInMB 1.
    server = startTsx('apps/model-server/src/main.ts', {
      ...envWithoutAws(),
      SM_MODEL_DIR: DEMO_BUNDLE_DIR,
      PORT: String(port),
      HOST: '127.0.0.1',
      MODEL_RELOAD_INTERVAL_MS: '0',
      SAGEMAKER_MAX_PAYLOAD_IN_MB: '1',
    });
    await waitFor200(`${url}/ping`, server);
  }, 120_000);
  afterAll(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('cuts the file at line boundaries into requests of at most MaxPayloadInMB, which put back together are the file', async () => {
    const file = await open(input, 'r');
    const bodies: Buffer[] = [];
    try {
      for await (const batch of splitRecords(file, MB)) bodies.push(batch.body);
    } finally {
      await file.close();
    }

    expect(bodies.length).toBe(Math.ceil((await readFile(input)).length / MB));
    for (const body of bodies) {
      expect(body.length).toBeLessThanOrEqual(MB);
      expect(body[body.length - 1]).toBe(0x0a);
    }
    // MultiRecord: each request is as full as whole lines allow, so the next line would not have fitted.
    for (let i = 0; i + 1 < bodies.length; i++)
      expect(bodies[i]!.length + bodies[i + 1]!.indexOf(0x0a) + 1).toBeGreaterThan(MB);
    expect(Buffer.concat(bodies).equals(await readFile(input))).toBe(true);
  });

  it('answers every line in input order, as the in-process model does (AssembleWith Line)', async () => {
    const output = path.join(dir, 'leads.csv.out');
    const model = (await loadBundle(DEMO_BUNDLE_DIR)).model;

    const run = await runCli([
      'batch',
      '--target',
      'local',
      '--model-server',
      url,
      '--input',
      input,
      '--output',
      output,
    ]);

    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      records: ROWS,
      maxPayloadInMB: 1,
      maxConcurrentTransforms: expect.any(Number),
    });
    const lines = (await readFile(output, 'utf8')).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(ROWS);
    const expected = model.predict(rows) as number[][];
    lines.forEach((line, i) => expect(line.split(',').map(Number)).toEqual(expected[i]));
  }, 120_000);

  it("fails like the job would when a request is over the container's limit: the model server's 413", async () => {
    const run = await runCli([
      'batch',
      '--target',
      'local',
      '--model-server',
      url,
      '--input',
      input,
      '--output',
      path.join(dir, 'too-big.out'),
      '--max-payload-mb',
      '2',
    ]);

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/error \[MODEL_SERVER_REFUSED\]: the model server answered 413 .*PAYLOAD_TOO_LARGE/);
  }, 120_000);

  it('refuses a line longer than MaxPayloadInMB, which Batch Transform cannot send', async () => {
    const long = path.join(dir, 'long.csv');
    await writeFile(long, `${'1,'.repeat(MB)}1\n`);

    const run = await runCli([
      'batch',
      '--target',
      'local',
      '--model-server',
      url,
      '--input',
      long,
      '--output',
      path.join(dir, 'long.out'),
    ]);

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /error \[RECORD_TOO_LARGE\]: the line starting at byte 0 is longer than MaxPayloadInMB \(1048576 bytes\)/,
    );
  }, 120_000);
});
