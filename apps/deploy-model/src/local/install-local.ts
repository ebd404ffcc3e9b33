import { open, mkdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { ModelBundle } from '@lead-scoring/model-bundle';
import { DeployError } from '../errors';

async function writeAtomically(dir: string, name: string, data: Uint8Array): Promise<void> {
  const target = path.join(dir, name);
  const tmp = path.join(dir, `.${name}.${process.pid}.${Date.now()}.tmp`);
  try {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- the model dir the operator named
    const handle = await open(tmp, 'w', 0o644);
    try {
      await handle.writeFile(data);
      // Flush before the rename so a crash never leaves a renamed-but-empty file for the server to load.
      await handle.sync();
    } finally {
      await handle.close();
    }
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- same folder: rename is atomic there
    await rename(tmp, target);
  } catch (cause) {
    await rm(tmp, { force: true });
    throw new DeployError(
      'LOCAL_INSTALL_FAILED',
      `cannot write ${target}: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`,
      { cause },
    );
  }
}

/**
 * Installs a validated bundle into a local model server's model dir (SM_MODEL_DIR) so the running server
 * hot-reloads it: each file is written under a temp name in the same dir and renamed over the old one,
 * the model file first and manifest.json last (the server treats the manifest as the commit point).
 *
 * @example await installLocal(bundle, '/tmp/model') // ['xgboost-model', 'manifest.json']
 */
export async function installLocal(bundle: ModelBundle, modelDir: string): Promise<string[]> {
  let manifestBytes: Buffer;
  try {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- the model dir the operator named
    await mkdir(modelDir, { recursive: true });
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- the bundle folder the operator named
    manifestBytes = await readFile(path.join(bundle.dir, 'manifest.json'));
  } catch (cause) {
    throw new DeployError('LOCAL_INSTALL_FAILED', `cannot prepare ${modelDir}: ${(cause as Error).message}`, { cause });
  }
  const modelFile = bundle.manifest.model_file;
  await writeAtomically(modelDir, modelFile, bundle.modelBytes);
  await writeAtomically(modelDir, 'manifest.json', manifestBytes);
  return [modelFile, 'manifest.json'];
}
