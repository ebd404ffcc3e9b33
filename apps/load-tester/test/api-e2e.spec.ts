import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childEnv, freePort, ROOT, runCli } from './support/run-cli';

const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const API_KEY = 'load-test-key-0123456789';

async function waitReady(base: string, api: ChildProcess, deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    if (api.exitCode !== null) throw new Error(`the API exited with ${api.exitCode} before it was ready`);
    try {
      if ((await fetch(`${base}/ready`)).status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the API was not ready in time');
}

describe('load test against the local API (npm start)', () => {
  let api: ChildProcess;
  let base: string;
  let dir: string;
  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    dir = mkdtempSync(join(tmpdir(), 'load-test-api-'));
    api = spawn(TSX, [join(ROOT, 'apps/api/src/main.ts')], {
      cwd: ROOT,
      env: childEnv({ PORT: String(port), WORKERS: '1', API_KEYS: API_KEY, LAKE_DIR: join(dir, 'lake') }),
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await waitReady(base, api, 60_000);
  }, 90_000);
  afterAll(async () => {
    if (api.exitCode === null) {
      const exited = new Promise((r) => api.once('exit', r));
      api.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
    // A stop publishes the lake's spool before the process exits.
  }, 60_000);

  it.each(['array', 'named'])(
    'scores %s-form leads for a few seconds with no errors, the invalid ones rejected with a 4xx',
    async (form) => {
      const json = join(dir, `${form}.json`);
      const run = await runCli(
        [
          '--target',
          `${base}/score`,
          '--rate',
          '100',
          '--duration',
          '3s',
          '--rows',
          '5',
          '--form',
          form,
          '--invalid-ratio',
          '10%',
          '--seed',
          '7',
          '--slo',
          'error_rate<0.1%,p99<1000ms',
          '--max-late-ratio',
          '100%',
          '--report-json',
          json,
          '--no-live',
        ],
        { LOAD_TEST_API_KEY: API_KEY },
      );

      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const report = JSON.parse(readFileSync(json, 'utf8'));
      expect(report.requests).toBe(300);
      expect(report.errors).toBe(0);
      expect(report.ok + report.expected_rejections).toBe(300);
      expect(report.expected_rejections).toBeGreaterThan(5);
      expect(report.status_counts['200']).toBe(report.ok);
    },
    60_000,
  );

  it('counts every request as a 401 error without the API key', async () => {
    const json = join(dir, 'nokey.json');
    const run = await runCli([
      '--target',
      `${base}/score`,
      '--rate',
      '20',
      '--duration',
      '1s',
      '--slo',
      'error_rate<1%',
      '--max-late-ratio',
      '100%',
      '--report-json',
      json,
      '--no-live',
    ]);

    expect(run.code).toBe(3);
    expect(JSON.parse(readFileSync(json, 'utf8'))).toMatchObject({
      requests: 20,
      errors: 20,
      status_counts: { '401': 20 },
      error_kinds: { http_401: 20 },
    });
  }, 60_000);
});
