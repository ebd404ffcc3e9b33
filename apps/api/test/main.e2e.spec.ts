import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mulberry32, sampleLead } from '@lead-scoring/feature-schema/testing';
import { demoFeatures } from '@lead-scoring/model-bundle/testing';
import { exited, freePort, ROOT, TSX, waitReady } from './support/child-server';
import { readLakeRows } from './support/lake-rows';

// tsx reads path aliases from ./tsconfig.json; point it at the base config in case the root has none.
const ENV = { ...process.env, TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.base.json') };

describe('npm start (apps/api/src/main.ts)', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
  });

  it('serves with two cluster workers, prints its URL and a curl example, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const url = `http://localhost:${port}`;
    child = spawn(TSX, ['apps/api/src/main.ts'], {
      cwd: ROOT,
      env: { ...ENV, PORT: String(port), WORKERS: '2' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()));

    await waitReady(url, child);
    const health = await fetch(`${url}/health`);
    for (let i = 0; i < 50 && !out.includes('curl -s'); i++) await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGTERM');
    const code = await exited(child);

    expect(health.status).toBe(200);
    expect(out).toContain(`Lead scoring API listening on ${url}`);
    expect(out).toMatch(/curl -s '.*\/score\?explain=3' -H 'content-type: application\/json' -d '\[\[/);
    expect(out).toMatch(/^\{.*"message":"ready".*\}$/m);
    expect(code).toBe(0);
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  }, 90_000);

  /** Starts the server with `extra` in its environment and waits for it to exit: its code and stderr. */
  async function startWith(extra: Record<string, string>): Promise<{ code: number | null; err: string }> {
    child = spawn(TSX, ['apps/api/src/main.ts'], {
      cwd: ROOT,
      env: { ...ENV, ...extra },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    return { code: await exited(child), err };
  }

  it('fails fast naming the variable when the configuration is invalid', async () => {
    const { code, err } = await startWith({ MAX_ROWS: 'lots' });

    expect(code).toBe(1);
    expect(err).toContain('MAX_ROWS: must be a whole number');
  }, 30_000);

  it('fails fast with a message, not a stack trace, when an observability variable is invalid', async () => {
    const { code, err } = await startWith({ LAKE_SYNC: 'sometimes' });

    expect(code).toBe(1);
    expect(err).toContain('lead-scoring-api: invalid configuration: LAKE_SYNC');
    expect(err).not.toContain('    at ');
  }, 30_000);

  it('passes a SIGTERM sent to npm itself on to the server, which flushes its lake and leaves no process behind', async () => {
    const port = await freePort();
    const url = `http://localhost:${port}`;
    const lake = mkdtempSync(join(tmpdir(), 'npm-start-'));
    // What a container runtime does with `CMD npm start`: SIGTERM to npm alone, not to its process group.
    const env = { ...ENV, PORT: String(port), WORKERS: '1', LAKE_DIR: lake, LOG_LEVEL: 'WARN' };
    // Its own process group, so that afterwards anything npm left behind can be killed as a group.
    const npm = spawn('npm', ['start'], { cwd: ROOT, env, stdio: 'ignore', detached: true });
    child = npm;
    try {
      await waitReady(url, npm, 120_000);
      const rng = mulberry32(3);
      const specs = demoFeatures();
      const body = JSON.stringify([sampleLead(specs, rng), sampleLead(specs, rng), sampleLead(specs, rng)]);
      const status = (
        await fetch(`${url}/score`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
      ).status;
      npm.kill('SIGTERM');
      await exited(npm);

      // The group is empty once npm, tsx and the server have all exited (kill(-pgid, 0) then fails with ESRCH).
      const groupAlive = (): boolean => {
        try {
          process.kill(-npm.pid!, 0);
          return true;
        } catch {
          return false;
        }
      };
      for (let i = 0; i < 150 && groupAlive(); i++) await new Promise((r) => setTimeout(r, 200));
      const alive = groupAlive();
      expect(status).toBe(200);
      expect(alive).toBe(false);
      const rows = await readLakeRows(lake);

      expect(rows).toHaveLength(3);
    } finally {
      try {
        process.kill(-npm.pid!, 'SIGKILL');
      } catch {
        // the group is already gone
      }
      rmSync(lake, { recursive: true, force: true });
    }
  }, 180_000);
});
