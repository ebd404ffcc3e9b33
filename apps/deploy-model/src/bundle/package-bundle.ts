import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { ModelBundle } from '@lead-scoring/model-bundle';
import { pack } from 'tar-stream';
import { DeployError } from '../errors';

/**
 * What goes into model.tar.gz: `bundle` = `manifest.json` + `xgboost-model` (our model server reads both);
 * `builtin` = `xgboost-model` alone, because SageMaker's built-in XGBoost container loads whichever
 * file `os.listdir` yields first (or every file, in its ensemble mode) and would choke on manifest.json.
 */
export type PackageLayout = 'bundle' | 'builtin';

/** A packaged model.tar.gz in memory, with its sha256 (hex). */
export interface Artifact {
  readonly bytes: Buffer;
  readonly sha256: string;
  readonly layout: PackageLayout;
}

/** Offset of the OS byte in a gzip header (RFC 1952); zlib writes its build platform's code there. */
const GZIP_OS_OFFSET = 9;
const GZIP_OS_UNIX = 3;

function mtimeOf(createdAt: unknown): Date {
  const ms = typeof createdAt === 'string' ? Date.parse(createdAt) : Number.NaN;
  // Whole seconds: tar headers hold seconds, and a fractional part would be dropped unevenly.
  return new Date(Number.isFinite(ms) && ms >= 0 ? Math.floor(ms / 1000) * 1000 : 0);
}

async function tarEntries(entries: readonly { name: string; data: Uint8Array }[], mtime: Date): Promise<Buffer> {
  const tar = pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const chunk of tar) chunks.push(Buffer.from(chunk as Uint8Array));
  })();
  for (const entry of [...entries].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    tar.entry(
      {
        name: entry.name,
        size: entry.data.length,
        mode: 0o644,
        mtime,
        uid: 0,
        gid: 0,
        uname: '',
        gname: '',
        type: 'file',
      },
      entry.data,
    );
  }
  tar.finalize();
  await done;
  return Buffer.concat(chunks);
}

/**
 * Builds a reproducible SageMaker model.tar.gz from a loaded bundle: sorted entries, mode 0644, owner 0/0 with
 * empty names, every mtime the manifest's created_at (whole seconds), gzip mtime 0 and OS byte Unix,
 * so the same bundle always gives the same bytes.
 *
 * @example const { bytes, sha256 } = await packageBundle(await loadBundle('models/demo'));
 */
export async function packageBundle(bundle: ModelBundle, layout: PackageLayout = 'bundle'): Promise<Artifact> {
  const entries: { name: string; data: Uint8Array }[] = [{ name: 'xgboost-model', data: bundle.modelBytes }];
  if (layout === 'bundle') {
    let manifest: Buffer;
    try {
      // eslint-disable-next-line security/detect-non-literal-fs-filename -- the bundle folder the operator named
      manifest = await readFile(path.join(bundle.dir, 'manifest.json'));
    } catch (cause) {
      throw new DeployError('BUNDLE_INVALID', `cannot read ${bundle.dir}/manifest.json: ${(cause as Error).message}`, {
        cause,
      });
    }
    entries.push({ name: 'manifest.json', data: manifest });
  }
  const tarBytes = await tarEntries(entries, mtimeOf(bundle.manifest.created_at));
  // Node's gzip already writes mtime 0; the OS byte depends on the platform zlib was built for, so pin it.
  const bytes = gzipSync(tarBytes, { level: 9 });
  bytes[GZIP_OS_OFFSET] = GZIP_OS_UNIX;
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex'), layout };
}

/** Writes an artifact atomically (temp file in the same folder, then rename). */
export async function writeArtifact(artifact: Artifact, file: string): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- the operator names the output file
    await mkdir(path.dirname(file), { recursive: true });
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- same
    await writeFile(tmp, artifact.bytes);
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- same folder as above
    await rename(tmp, file);
  } catch (cause) {
    throw new DeployError(
      'OUTPUT_WRITE_FAILED',
      `cannot write ${file}: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`,
      { cause },
    );
  }
}
