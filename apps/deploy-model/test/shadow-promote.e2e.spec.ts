import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, startTsx, waitFor200, type Child } from '@lead-scoring/testing';
import { FIXTURES, tempDir, writeLeadBundle } from './helpers/bundles';
import { runCli } from './helpers/run-cli';

jest.setTimeout(300_000);

describe('deploy --shadow and promote, locally', () => {
  let server: Child | undefined;
  afterAll(async () => server?.stop());

  it('promotes the shadow bundle under load with no failed request; production then answers with its scores', async () => {
    const root = tempDir('shadow-promote-');
    const reference = JSON.parse(readFileSync(path.join(FIXTURES, 'lead-reference.json'), 'utf8')) as { rows: (number | null)[][]; v1: number[][]; v2: number[][] };
    const modelDir = path.join(root, 'model');
    const shadowDir = path.join(root, 'shadow');
    expect((await runCli(['deploy', '--target', 'local', '--model', writeLeadBundle(path.join(root, 'v1'), 'v1'), '--model-dir', modelDir])).code).toBe(0);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    server = startTsx('apps/model-server/src/main.ts', { SM_MODEL_DIR: modelDir, PORT: String(port), HOST: '127.0.0.1', MODEL_RELOAD_INTERVAL_MS: '200' });
    await waitFor200(`${base}/ping`, server, 120_000);

    const shadow = await runCli(['deploy', '--shadow', '--target', 'local', '--model', writeLeadBundle(path.join(root, 'v2'), 'v2'), '--shadow-dir', shadowDir, '--model-dir', modelDir]);
    expect([shadow.code, JSON.parse(shadow.stdout)]).toEqual([0, expect.objectContaining({ target: 'local', shadow: { name: 'lead-test', version: '2.0.0' } })]);

    const body = `${reference.rows[0]!.map((v) => (v === null ? '' : String(v))).join(',')}\n`;
    const classify = (p: number): string => (Math.abs(p - reference.v1[0]![0]!) < 1e-5 ? 'v1' : Math.abs(p - reference.v2[0]![0]!) < 1e-5 ? 'v2' : 'other');
    const seen: string[] = [];
    const failures: string[] = [];
    let stop = false;
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

    const promoted = await runCli(['promote', '--target', 'local', '--model-dir', modelDir, '--shadow-dir', shadowDir]);
    const deadline = Date.now() + 60_000;
    while (!seen.includes('v2') && Date.now() < deadline) await sleep(50);
    const switchedAt = seen.length;
    while (seen.length < switchedAt + 50 && Date.now() < deadline) await sleep(20);
    stop = true;
    await Promise.all(clients);

    expect([promoted.code, promoted.stderr]).toEqual([0, '']);
    expect(JSON.parse(promoted.stdout)).toMatchObject({ promoted: { version: '2.0.0' }, previous: { version: '1.0.0', dir: `${modelDir}.previous` } });
    expect(failures).toEqual([]);
    expect(seen).not.toContain('other');
    expect(seen[0]).toBe('v1');
    expect(seen.slice(seen.indexOf('v2') + 10)).not.toContain('v1');
    expect(seen.slice(-20).every((s) => s === 'v2')).toBe(true);
    expect(readdirSync(shadowDir)).toEqual([]);
    expect(JSON.parse(readFileSync(path.join(`${modelDir}.previous`, 'manifest.json'), 'utf8'))).toMatchObject({ version: '1.0.0' });
  });

  it('refuses to promote when the shadow folder holds no bundle', async () => {
    const root = tempDir('shadow-none-');

    const res = await runCli(['promote', '--target', 'local', '--model-dir', path.join(root, 'model'), '--shadow-dir', path.join(root, 'shadow')]);

    expect([res.code, res.stderr]).toEqual([1, expect.stringContaining('error [NO_SHADOW]: no shadow bundle in')]);
    expect(existsSync(path.join(root, 'model'))).toBe(false);
  });
});
