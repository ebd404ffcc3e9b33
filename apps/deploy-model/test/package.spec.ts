import { rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { loadBundle } from '@lead-scoring/model-bundle';
import { extract, type Header } from 'tar-stream';
import { packageBundle } from '../src/bundle/package-bundle';
import { copyDemoBundle } from './helpers/bundles';
import { runInProcess } from './helpers/in-process';
import { runCli } from './helpers/run-cli';

async function tarHeaders(gz: Buffer): Promise<{ header: Header; data: Buffer }[]> {
  const entries: { header: Header; data: Buffer }[] = [];
  const ex = extract();
  const done = (async () => {
    for await (const entry of ex) {
      const chunks: Buffer[] = [];
      for await (const c of entry) chunks.push(Buffer.from(c as Uint8Array));
      entries.push({ header: entry.header, data: Buffer.concat(chunks) });
    }
  })();
  ex.end(gunzipSync(gz));
  await done;
  return entries;
}

describe('package', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(path.dirname(d), { recursive: true, force: true })));

  it('gives the same bytes for the same bundle, whatever folder it sits in and whatever its files mtimes', async () => {
    const a = copyDemoBundle();
    const b = copyDemoBundle();
    dirs.push(a, b);
    utimesSync(path.join(b, 'xgboost-model'), new Date(2001, 1, 1), new Date(2001, 1, 1));
    const first = await packageBundle(await loadBundle(a));
    const again = await packageBundle(await loadBundle(a));
    const elsewhere = await packageBundle(await loadBundle(b));
    expect(again.bytes.equals(first.bytes)).toBe(true);
    expect(elsewhere.bytes.equals(first.bytes)).toBe(true);
    expect(elsewhere.sha256).toBe(first.sha256);
  });

  it('writes a gzip header with mtime 0 and the Unix OS byte', async () => {
    const { bytes } = await packageBundle(await loadBundle(copyDemoBundle()));
    expect([...bytes.subarray(0, 3)]).toEqual([0x1f, 0x8b, 8]);
    expect(bytes.readUInt32LE(4)).toBe(0);
    expect(bytes[9]).toBe(3);
  });

  it('puts sorted entries with fixed owner, mode and the manifest created_at as mtime', async () => {
    const dir = copyDemoBundle();
    dirs.push(dir);
    const bundle = await loadBundle(dir);
    const entries = await tarHeaders((await packageBundle(bundle)).bytes);
    expect(entries.map((e) => e.header.name)).toEqual(['manifest.json', 'xgboost-model']);
    for (const { header } of entries) {
      expect(header).toMatchObject({ mode: 0o644, uid: 0, gid: 0, uname: '', gname: '', type: 'file' });
      expect(header.mtime.getTime()).toBe(Math.floor(Date.parse(bundle.manifest.created_at) / 1000) * 1000);
    }
    expect(entries[1]!.data.equals(Buffer.from(bundle.modelBytes))).toBe(true);
  });

  it('leaves the manifest out for the built-in XGBoost image', async () => {
    const entries = await tarHeaders((await packageBundle(await loadBundle(copyDemoBundle()), 'builtin')).bytes);
    expect(entries.map((e) => e.header.name)).toEqual(['xgboost-model']);
  });

  it('writes the same file from two CLI runs (one a separate process) into two folders, and refuses a broken bundle', async () => {
    const bundle = copyDemoBundle();
    dirs.push(bundle);
    const out1 = path.join(path.dirname(bundle), 'one', 'model.tar.gz');
    const out2 = path.join(path.dirname(bundle), 'two', 'model.tar.gz');
    const r1 = await runCli(['package', '--model', bundle, '--out', out1]);
    const r2 = await runInProcess(['package', '--model', bundle, '--out', out2]);
    expect([r1.code, r2.code]).toEqual([0, 0]);
    expect((JSON.parse(r1.stdout) as { sha256: string }).sha256).toBe(
      (JSON.parse(r2.stdout) as { sha256: string }).sha256,
    );

    writeFileSync(path.join(bundle, 'xgboost-model'), '{}');
    const broken = await runInProcess([
      'package',
      '--model',
      bundle,
      '--out',
      path.join(path.dirname(bundle), 'x.tar.gz'),
    ]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/BUNDLE_INVALID.*BUNDLE_SHA256_MISMATCH/);
  }, 180_000);
});
