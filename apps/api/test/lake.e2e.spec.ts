import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoFeatures } from '@lead-scoring/model-bundle/testing';
import { mulberry32, sampleLead } from '@lead-scoring/feature-schema/testing';
import { exited, freePort, ROOT, TSX, waitReady } from './support/child-server';
import { readLakeRows } from './support/lake-rows';

const SPECS = demoFeatures();
const FEATURE_NAMES = SPECS.map((s) => s.name);

/** A batch in the named form, with lead ids `lead-<i>`. */
function batch(from: number, n: number, rng: () => number): string {
  const leads = Array.from({ length: n }, (_, i) => {
    const row = sampleLead(SPECS, rng);
    return {
      lead_id: `lead-${from + i}`,
      features: Object.fromEntries(FEATURE_NAMES.map((name, f) => [name, row[f] ?? null])),
    };
  });
  return JSON.stringify({ leads });
}

describe('data lake of the local server (npm start)', () => {
  let child: ChildProcess | undefined;
  let lake: string;
  beforeEach(() => {
    lake = mkdtempSync(join(tmpdir(), 'lake-e2e-'));
  });
  afterEach(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    rmSync(lake, { recursive: true, force: true });
  });

  it('writes exactly N Parquet rows for N leads posted to two workers, after SIGTERM', async () => {
    const port = await freePort();
    const url = `http://localhost:${port}`;
    // The default publish delay (5 minutes) keeps every lead in the spool until SIGTERM: the shutdown must publish them.
    const env = { ...process.env, PORT: String(port), WORKERS: '2', LAKE_DIR: lake, LOG_LEVEL: 'WARN' };
    child = spawn(TSX, ['--tsconfig', 'tsconfig.base.json', 'apps/api/src/main.ts'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    await waitReady(url, child, 300_000).catch((err: Error) => {
      throw new Error(`${err.message}\n${out}`);
    });
    // The primary prints its banner once EVERY worker is ready (/ready answers from one of them).
    for (let i = 0; i < 600 && !out.includes('Lead scoring API listening'); i++)
      await new Promise((r) => setTimeout(r, 100));

    const rng = mulberry32(7);
    const sizes = [1, 3, 10, 1, 25, 7, 1, 2, 50, 1, 4, 20];
    let n = 0;
    const posts: Promise<Response>[] = [];
    for (const size of sizes) {
      posts.push(
        fetch(`${url}/score`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: batch(n, size, rng),
        }),
      );
      n += size;
    }
    const statuses = (await Promise.all(posts)).map((r) => r.status);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    child.kill('SIGTERM');
    const code = await exited(child);

    expect(statuses).toEqual(sizes.map(() => 200));
    // /metrics answered by one worker shows both workers' requests and leads.
    expect(metrics).toContain(`lead_scoring_requests_total{route="/score",status="200"} ${sizes.length}`);
    expect(metrics).toContain(`lead_scoring_batch_size_sum ${n}`);
    expect(metrics).toContain(`lead_scoring_lake_spooled_leads_total ${n}`);
    expect(metrics).toContain('lead_scoring_lake_unrecorded_leads_total 0');
    expect(code).toBe(0);
    const rows = await readLakeRows(lake);
    expect(rows).toHaveLength(n);
    expect(new Set(rows.map((r) => r['lead_id']))).toEqual(new Set(Array.from({ length: n }, (_, i) => `lead-${i}`)));
    expect(rows[0]).toMatchObject({ model_name: expect.any(String), score: expect.any(Number), degraded: false });
    expect(Object.keys(rows[0]!)).toEqual(
      expect.arrayContaining([...FEATURE_NAMES, 'request_id', 'ts', 'probabilities', 'latency_ms']),
    );
  }, 420_000);
});
