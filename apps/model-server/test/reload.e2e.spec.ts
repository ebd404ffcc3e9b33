import { writeFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { DEMO_BUNDLE_DIR, loadBundle, type ModelBundle } from '@lead-scoring/model-bundle';
import { parseModel } from '@lead-scoring/xgboost-evaluator';
import {
  demoManifestText,
  demoModelBytes,
  eventually,
  manifestFor,
  removeDir,
  sampleRows,
  startServer,
  tempDir,
  toCsv,
  variantModelBytes,
  writeTarball,
} from './support';

const rows = sampleRows(20, 11);
let bundle: ModelBundle;
const dirs: string[] = [];

const score = async (url: string): Promise<{ status: number; version: string | null; preds: number[][] }> => {
  const res = await fetch(`${url}/invocations`, {
    method: 'POST',
    body: toCsv(rows),
    headers: { 'Content-Type': 'text/csv' },
  });
  const text = await res.text();
  return {
    status: res.status,
    version: res.headers.get('x-model-version'),
    preds: res.ok
      ? text
          .trimEnd()
          .split('\n')
          .map((l) => l.split(',').map(Number))
      : [],
  };
};

// Deploys the way `deploy --target local` does: temp name in the same folder, then rename; model first, manifest last.
async function deploy(dir: string, model: Buffer, manifest: string): Promise<void> {
  await writeFile(join(dir, '.xgboost-model.tmp'), model);
  await rename(join(dir, '.xgboost-model.tmp'), join(dir, 'xgboost-model'));
  await writeFile(join(dir, '.manifest.json.tmp'), manifest);
  await rename(join(dir, '.manifest.json.tmp'), join(dir, 'manifest.json'));
}

beforeAll(async () => {
  bundle = await loadBundle(DEMO_BUNDLE_DIR);
});

afterAll(async () => {
  await Promise.all(dirs.map(removeDir));
});

describe('model server: model.tar.gz and hot reload', () => {
  it('loads xgboost-model and manifest.json from model.tar.gz', async () => {
    const dir = await tempDir();
    dirs.push(dir);
    await writeTarball(dir, { 'xgboost-model': await demoModelBytes(), 'manifest.json': await demoManifestText() });
    const s = await startServer(dir);

    const got = await score(s.url);

    expect(got.version).toBe(bundle.manifest.version);
    expect(got.preds).toEqual(bundle.model.predict(rows));
    await s.stop();
  });

  it('answers /ping 503 until a model appears, then 200 once it is loaded and self-tested', async () => {
    const dir = await tempDir();
    dirs.push(dir);
    const s = await startServer(dir, { reloadIntervalMs: 50 });
    const before = await fetch(`${s.url}/ping`);

    await deploy(dir, await demoModelBytes(), await demoManifestText());
    await eventually(async () => (await fetch(`${s.url}/ping`)).status === 200);

    expect(before.status).toBe(503);
    expect((await score(s.url)).preds).toEqual(bundle.model.predict(rows));
    await s.stop();
  });

  it('swaps to a new model without a restart and without failing requests', async () => {
    const dir = await tempDir();
    dirs.push(dir);
    await deploy(dir, await demoModelBytes(), await demoManifestText());
    const s = await startServer(dir, { reloadIntervalMs: 50 });
    const variant = await variantModelBytes();
    const statuses: number[] = [];
    let busy = true;
    const traffic = (async () => {
      while (busy) statuses.push((await score(s.url)).status);
    })();

    await deploy(dir, variant, await manifestFor(variant, '2.0.0'));
    await eventually(async () => (await score(s.url)).version === '2.0.0');
    busy = false;
    await traffic;

    expect((await score(s.url)).preds).toEqual(parseModel(variant).predict(rows));
    expect((await score(s.url)).preds).not.toEqual(bundle.model.predict(rows));
    expect(statuses.every((st) => st === 200)).toBe(true);
    expect(s.logs.some((l) => l.message === 'model reloaded')).toBe(true);
    await s.stop();
  });

  it('ignores a broken new model and keeps serving the previous one', async () => {
    const dir = await tempDir();
    dirs.push(dir);
    await deploy(dir, await demoModelBytes(), await demoManifestText());
    const s = await startServer(dir, { reloadIntervalMs: 50 });

    await writeFile(join(dir, 'xgboost-model'), 'this is not a model');
    await eventually(() => s.logs.some((l) => l.level === 'warn'));
    const got = await score(s.url);

    expect(got.status).toBe(200);
    expect(got.version).toBe(bundle.manifest.version);
    expect(got.preds).toEqual(bundle.model.predict(rows));
    expect((await fetch(`${s.url}/ping`)).status).toBe(200);
    await s.stop();
  });
});
