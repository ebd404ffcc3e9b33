import { rmSync } from 'node:fs';
import path from 'node:path';
import type { Child } from '@lead-scoring/testing';
import { tempDir, writeLeadBundle } from './helpers/bundles';
import { runCli } from './helpers/run-cli';
import { startModelServer, startVersionTraffic } from './helpers/version-traffic';

describe('deploy --target local', () => {
  let root: string;
  let server: Child | undefined;

  beforeAll(() => (root = tempDir()));
  afterAll(async () => {
    await server?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('switches a running model server to the new version with no failed request', async () => {
    const modelDir = path.join(root, 'model');
    const v1 = writeLeadBundle(path.join(root, 'v1'), 'v1');
    const v2 = writeLeadBundle(path.join(root, 'v2'), 'v2');
    const first = await runCli(['deploy', '--target', 'local', '--model', v1, '--model-dir', modelDir]);
    expect(first.stderr).not.toMatch(/error/);
    expect(first.code).toBe(0);

    const started = await startModelServer(modelDir);
    server = started.server;

    const traffic = await startVersionTraffic(started.base);

    const second = await runCli(['deploy', '--target', 'local', '--model', v2, '--model-dir', modelDir]);
    expect(second.code).toBe(0);
    await traffic.switched();
    await traffic.stop();
    const { seen, failures } = traffic;

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
