import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Child } from '@lead-scoring/testing';
import { tempDir, writeLeadBundle } from './helpers/bundles';
import { runCli } from './helpers/run-cli';
import { startModelServer, startVersionTraffic } from './helpers/version-traffic';

jest.setTimeout(300_000);

describe('deploy --shadow and promote, locally', () => {
  let server: Child | undefined;
  afterAll(async () => server?.stop());

  it('promotes the shadow bundle under load with no failed request; production then answers with its scores', async () => {
    const root = tempDir('shadow-promote-');
    const modelDir = path.join(root, 'model');
    const shadowDir = path.join(root, 'shadow');
    expect(
      (
        await runCli([
          'deploy',
          '--target',
          'local',
          '--model',
          writeLeadBundle(path.join(root, 'v1'), 'v1'),
          '--model-dir',
          modelDir,
        ])
      ).code,
    ).toBe(0);
    const started = await startModelServer(modelDir);
    server = started.server;

    const shadow = await runCli([
      'deploy',
      '--shadow',
      '--target',
      'local',
      '--model',
      writeLeadBundle(path.join(root, 'v2'), 'v2'),
      '--shadow-dir',
      shadowDir,
      '--model-dir',
      modelDir,
    ]);
    expect([shadow.code, JSON.parse(shadow.stdout)]).toEqual([
      0,
      expect.objectContaining({ target: 'local', shadow: { name: 'lead-test', version: '2.0.0' } }),
    ]);

    const traffic = await startVersionTraffic(started.base);

    const promoted = await runCli(['promote', '--target', 'local', '--model-dir', modelDir, '--shadow-dir', shadowDir]);
    await traffic.switched();
    await traffic.stop();
    const { seen, failures } = traffic;

    expect([promoted.code, promoted.stderr]).toEqual([0, '']);
    expect(JSON.parse(promoted.stdout)).toMatchObject({
      promoted: { version: '2.0.0' },
      previous: { version: '1.0.0', dir: `${modelDir}.previous` },
    });
    expect(failures).toEqual([]);
    expect(seen).not.toContain('other');
    expect(seen[0]).toBe('v1');
    expect(seen.slice(seen.indexOf('v2') + 10)).not.toContain('v1');
    expect(seen.slice(-20).every((s) => s === 'v2')).toBe(true);
    expect(readdirSync(shadowDir)).toEqual([]);
    expect(JSON.parse(readFileSync(path.join(`${modelDir}.previous`, 'manifest.json'), 'utf8'))).toMatchObject({
      version: '1.0.0',
    });
  });

  it('refuses to promote when the shadow folder holds no bundle', async () => {
    const root = tempDir('shadow-none-');

    const res = await runCli([
      'promote',
      '--target',
      'local',
      '--model-dir',
      path.join(root, 'model'),
      '--shadow-dir',
      path.join(root, 'shadow'),
    ]);

    expect([res.code, res.stderr]).toEqual([1, expect.stringContaining('error [NO_SHADOW]: no shadow bundle in')]);
    expect(existsSync(path.join(root, 'model'))).toBe(false);
  });
});
