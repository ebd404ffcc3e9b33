import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChildServer, type ChildServer } from './support/child-server';
import { freePort, runCli } from './support/run-cli';

describe('load-test command (end to end)', () => {
  let server: ChildServer;
  let dir: string;
  beforeAll(async () => {
    server = await startChildServer({ kind: 'delay', delayMs: 5 });
    dir = mkdtempSync(join(tmpdir(), 'load-test-'));
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exits 2 with a message on stderr for a mistyped SLO metric, before sending anything', async () => {
    const run = await runCli(['--target', server.url, '--rate', '10', '--duration', '1s', '--slo', 'p95<100ms']);

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown metric "p95"/);
    expect(run.stdout).toBe('');
  }, 30_000);

  it('exits 2 when the target cannot be reached at all', async () => {
    const run = await runCli([
      '--target',
      `http://127.0.0.1:${await freePort()}/score`,
      '--rate',
      '10',
      '--duration',
      '1s',
    ]);

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cannot reach/);
  }, 30_000);

  // Lateness is allowed here (a busy 2-core box runs three generator threads plus the server); merging is the subject.
  it('runs on two worker threads, merges their histograms and writes the JSON and HTML reports', async () => {
    const json = join(dir, 'report.json');
    const html = join(dir, 'report.html');
    const run = await runCli([
      '--target',
      server.url,
      '--rate',
      '200',
      '--duration',
      '2s',
      '--workers',
      '2',
      '--max-late-ratio',
      '100%',
      '--slo',
      'p99<1000ms,error_rate<0.1%',
      '--report-json',
      json,
      '--report-html',
      html,
    ]);

    expect(run.stderr).not.toMatch(/error:/i);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/latency \(ms\)\s+p50/);
    expect(run.stderr).toMatch(/\[\s+1s\]/);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    expect(report).toMatchObject({
      requests: 400,
      completed: 400,
      errors: 0,
      status_counts: { '200': 400 },
      config: { workers: 2 },
    });
    expect(report.latency_ms.p50).toBeGreaterThanOrEqual(5);
    for (const key of ['p50', 'p90', 'p99', 'p999', 'max']) expect(typeof report.latency_ms[key]).toBe('number');
    expect(report.achieved_rps).toBeGreaterThan(190);
    expect(report.series.reduce((n: number, p: { sent: number }) => n + p.sent, 0)).toBe(400);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<svg');
    expect(page).not.toMatch(/<script|<link|src=|@import|url\(/i);
  }, 60_000);

  it('exits 3 when an SLO fails', async () => {
    const run = await runCli([
      '--target',
      server.url,
      '--rate',
      '50',
      '--duration',
      '1s',
      '--slo',
      'p50<1ms',
      '--max-late-ratio',
      '100%',
      '--no-live',
    ]);

    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/SLO p50<1ms\s+FAIL/);
    expect(run.stderr).toBe('');
  }, 30_000);

  it('exits 4 and says so when sends fall behind schedule beyond the allowed share', async () => {
    const run = await runCli([
      '--target',
      server.url,
      '--rate',
      '50',
      '--duration',
      '1s',
      '--late-threshold',
      '0ms',
      '--max-late-ratio',
      '0',
      '--no-live',
    ]);

    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/generator fell behind/);
  }, 30_000);

  it('prints help and exits 0', async () => {
    const run = await runCli(['--help']);

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/--sagemaker-endpoint/);
  }, 30_000);
});
