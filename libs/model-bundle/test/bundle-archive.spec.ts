import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { BundleError, readBundleArchive } from '../src/index';

describe('readBundleArchive', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bundle-archive-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A model.tar.gz made by GNU tar from the files in `dir/src`, as SageMaker training jobs write it. */
  function tarball(files: Record<string, string>): Buffer {
    const src = join(dir, 'src');
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(src, name, '..'), { recursive: true });
      writeFileSync(join(src, name), text);
    }
    execFileSync('tar', ['-czf', join(dir, 'model.tar.gz'), '-C', src, '.']);
    return readFileSync(join(dir, 'model.tar.gz'));
  }

  it('takes xgboost-model and manifest.json from the top of a ./-prefixed archive', async () => {
    const files = await readBundleArchive(
      tarball({ 'xgboost-model': '{"learner":{}}', 'manifest.json': '{"name":"m"}' }),
      'model.tar.gz',
    );

    expect([...files.keys()].sort()).toEqual(['manifest.json', 'xgboost-model']);
    expect(files.get('manifest.json')!.toString()).toBe('{"name":"m"}');
  });

  it('ignores every other entry, nested copies of the bundle files included', async () => {
    const bytes = tarball({
      'xgboost-model': 'm',
      'code/inference.py': 'x',
      'nested/manifest.json': '{}',
      'notes.txt': 'n',
    });

    const files = await readBundleArchive(bytes, 'model.tar.gz');

    expect([...files.keys()]).toEqual(['xgboost-model']);
  });

  it('refuses bytes that are not a gzip archive with BUNDLE_ARCHIVE_INVALID naming the archive', async () => {
    const attempt = readBundleArchive(Buffer.from('not gzip'), 's3://b/model.tar.gz');

    await expect(attempt).rejects.toThrow(BundleError);
    await expect(
      readBundleArchive(gzipSync(Buffer.from('not a tar archive, just text')), 's3://b/model.tar.gz'),
    ).rejects.toMatchObject({
      code: 'BUNDLE_ARCHIVE_INVALID',
      message: expect.stringContaining('s3://b/model.tar.gz'),
    });
  });
});
