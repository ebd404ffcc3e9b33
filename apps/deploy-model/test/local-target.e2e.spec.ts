import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { FIXTURES, tempDir, writeLeadBundle } from './helpers/bundles';
import { WORKSPACE, envWithoutAws, runCli } from './helpers/run-cli';

const TSX = path.join(WORKSPACE, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const SERVER_MAIN = path.join(WORKSPACE, 'apps', 'model-server', 'src', 'main.ts');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

async function waitForPing(base: string, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    const ok = await fetch(`${base}/ping`).then((r) => r.ok, () => false);
    if (ok) return;
    await sleep(100);
  }
  throw new Error('the model server never answered /ping with 200');
}

describe('deploy --target local', () => {
  let root: string;
  let server: ChildProcess | undefined;

  beforeAll(() => (root = tempDir()));
  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server!.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    rmSync(root, { recursive: true, force: true });
  });

  it('switches a running model server to the new version with no failed request', async () => {
    const reference = JSON.parse(readFileSync(path.join(FIXTURES, 'lead-reference.json'), 'utf8')) as { rows: (number | null)[][]; v1: number[][]; v2: number[][] };
    const modelDir = path.join(root, 'model');
    const v1 = writeLeadBundle(path.join(root, 'v1'), 'v1');
    const v2 = writeLeadBundle(path.join(root, 'v2'), 'v2');
    const first = await runCli(['deploy', '--target', 'local', '--model', v1, '--model-dir', modelDir]);
    expect(first.stderr).not.toMatch(/error/);
    expect(first.code).toBe(0);

    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    server = spawn(process.execPath, [TSX, SERVER_MAIN], {
      cwd: WORKSPACE,
      env: envWithoutAws({ SM_MODEL_DIR: modelDir, PORT: String(port), HOST: '127.0.0.1', MODEL_RELOAD_INTERVAL_MS: '200' }),
      stdio: 'ignore',
    });
    await waitForPing(base, Date.now() + 120_000);

    const body = `${reference.rows[0]!.map((v) => (v === null ? '' : String(v))).join(',')}\n`;
    const seen: ('v1' | 'v2' | 'other')[] = [];
    const failures: string[] = [];
    let stop = false;
    const classify = (p: number): 'v1' | 'v2' | 'other' =>
      Math.abs(p - reference.v1[0]![0]!) < 1e-5 ? 'v1' : Math.abs(p - reference.v2[0]![0]!) < 1e-5 ? 'v2' : 'other';
    const client = async (): Promise<void> => {
      while (!stop) {
        try {
          const res = await fetch(`${base}/invocations`, { method: 'POST', headers: { 'content-type': 'text/csv', accept: 'application/json' }, body });
          const text = await res.text();
          if (res.status !== 200) failures.push(`${res.status} ${text}`);
          else seen.push(classify((JSON.parse(text) as { predictions: number[] }).predictions[0]!));
        } catch (err) {
          failures.push(String(err));
        }
      }
    };
    const clients = [client(), client(), client()];
    while (seen.length < 50 && failures.length === 0) await sleep(20);

    const second = await runCli(['deploy', '--target', 'local', '--model', v2, '--model-dir', modelDir]);
    expect(second.code).toBe(0);
    const deadline = Date.now() + 60_000;
    while (!seen.includes('v2') && Date.now() < deadline) await sleep(50);
    const switchedAt = seen.length;
    while (seen.length < switchedAt + 50 && Date.now() < deadline) await sleep(20);
    stop = true;
    await Promise.all(clients);

    expect(failures).toEqual([]);
    expect(seen).not.toContain('other');
    const firstV2 = seen.indexOf('v2');
    expect(seen[0]).toBe('v1');
    expect(firstV2).toBeGreaterThan(0);
    // Requests already in flight may finish on v1 just after the swap; after that, only v2.
    expect(seen.slice(firstV2 + 10)).not.toContain('v1');
    expect(seen.slice(-20).every((s) => s === 'v2')).toBe(true);
  }, 300_000);
});
