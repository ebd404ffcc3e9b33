import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readBundleArchive } from '@lead-scoring/model-bundle';
import { ModelServerError } from './errors';

// Every path here is SM_MODEL_DIR (operator configuration) joined with a fixed file name.
/* eslint-disable security/detect-non-literal-fs-filename */

/** The raw files of a model: the XGBoost model bytes and, when present, the bundle manifest text. */
export interface ModelFiles {
  modelBytes: Uint8Array;
  manifestText: string | undefined;
  /** Where they came from, for logs: the folder or the tarball path. */
  origin: string;
  /** sha256 over the model bytes and the manifest text: the identity of what is loaded. */
  contentHash: string;
}

export const MODEL_FILE = 'xgboost-model';
export const MANIFEST_FILE = 'manifest.json';
export const TARBALL_FILE = 'model.tar.gz';

async function readIfExists(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ModelServerError('MODEL_LOAD_FAILED', `cannot read ${path}: ${(err as Error).message}`, { cause: err });
  }
}

const hashOf = (model: Uint8Array, manifest: string | undefined): string =>
  createHash('sha256')
    .update(model)
    .update('\0')
    .update(manifest ?? '')
    .digest('hex');

/**
 * Reads the model from a SageMaker model folder: `xgboost-model` (+ optional `manifest.json`),
 * else the same two files inside `model.tar.gz`.
 *
 * @example
 * const files = await readModelFiles('/opt/ml/model');
 */
export async function readModelFiles(dir: string): Promise<ModelFiles> {
  const modelBytes = await readIfExists(join(dir, MODEL_FILE));
  if (modelBytes) {
    const manifest = await readIfExists(join(dir, MANIFEST_FILE));
    const manifestText = manifest?.toString('utf8');
    return { modelBytes, manifestText, origin: dir, contentHash: hashOf(modelBytes, manifestText) };
  }
  const tarPath = join(dir, TARBALL_FILE);
  if (
    !(await stat(tarPath).then(
      (st) => st.isFile(),
      () => false,
    ))
  ) {
    throw new ModelServerError('MODEL_LOAD_FAILED', `no ${MODEL_FILE} or ${TARBALL_FILE} in ${dir} (set SM_MODEL_DIR)`);
  }
  const files = await readBundleArchive(createReadStream(tarPath), tarPath).catch((err: unknown) => {
    throw new ModelServerError('MODEL_LOAD_FAILED', (err as Error).message, { cause: err });
  });
  const fromTar = files.get(MODEL_FILE);
  if (!fromTar) throw new ModelServerError('MODEL_LOAD_FAILED', `${tarPath} holds no top-level ${MODEL_FILE}`);
  const manifestText = files.get(MANIFEST_FILE)?.toString('utf8');
  return { modelBytes: fromTar, manifestText, origin: tarPath, contentHash: hashOf(fromTar, manifestText) };
}

/**
 * A cheap change signal for hot reload: size and mtime of the files that can hold the model.
 * Only when it changes are the files read and hashed.
 */
export async function statSignature(dir: string): Promise<string> {
  const parts = await Promise.all(
    [MODEL_FILE, MANIFEST_FILE, TARBALL_FILE].map(async (name) => {
      try {
        const s = await stat(join(dir, name));
        return `${name}:${s.size}:${s.mtimeMs}`;
      } catch {
        return `${name}:-`;
      }
    }),
  );
  return parts.join('|');
}
