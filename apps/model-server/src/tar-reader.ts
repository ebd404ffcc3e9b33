import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { extract } from 'tar-stream';
import { ModelServerError } from './errors';

const WANTED = new Set(['xgboost-model', 'manifest.json']);
const MAX_ENTRY_BYTES = 512 * 1024 * 1024;

/**
 * Reads `xgboost-model` and `manifest.json` out of a SageMaker `model.tar.gz` into memory.
 * Only top-level regular files (optionally under `./`) are taken, so a crafted archive cannot
 * write anywhere: nothing touches the disk.
 *
 * @example
 * const files = await readModelTarball('/opt/ml/model/model.tar.gz'); // Map { 'xgboost-model' => Buffer }
 */
export async function readModelTarball(path: string): Promise<Map<string, Buffer>> {
  const found = new Map<string, Buffer>();
  const tar = extract();
  tar.on('entry', (header, stream, next) => {
    const name = header.name.replace(/^\.\//, '');
    const chunks: Buffer[] = [];
    let size = 0;
    const take = header.type === 'file' && WANTED.has(name) && header.size <= MAX_ENTRY_BYTES;
    stream.on('data', (data: unknown) => {
      const chunk = data as Buffer;
      if (!take) return;
      size += chunk.length;
      chunks.push(chunk);
    });
    stream.on('end', () => {
      if (take && size <= MAX_ENTRY_BYTES) found.set(name, Buffer.concat(chunks));
      next();
    });
    stream.resume();
  });
  try {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- SM_MODEL_DIR/model.tar.gz, operator configuration
    await pipeline(createReadStream(path), createGunzip(), tar);
  } catch (err) {
    throw new ModelServerError('MODEL_LOAD_FAILED', `cannot read ${path}: ${(err as Error).message}`, { cause: err });
  }
  return found;
}
