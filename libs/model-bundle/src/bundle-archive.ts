import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { extract } from 'tar-stream';
import { BundleError } from './errors';
import { MANIFEST_FILE, MODEL_FILE } from './load-bundle';

const WANTED = new Set([MODEL_FILE, MANIFEST_FILE]);
/** Larger than any model the evaluator would load in reasonable time; a bigger entry is refused, not buffered. */
export const MAX_ARCHIVE_ENTRY_BYTES = 512 * 1024 * 1024;

/**
 * Reads `xgboost-model` and `manifest.json` out of a SageMaker `model.tar.gz` (a stream or its bytes) into
 * memory. Only top-level regular files (optionally under `./`) with those two names are kept and each is
 * capped at {@link MAX_ARCHIVE_ENTRY_BYTES}, so a crafted archive can neither write anywhere (nothing touches the
 * disk) nor exhaust memory. `name` labels errors (`BUNDLE_ARCHIVE_INVALID`).
 *
 * @example
 * const files = await readBundleArchive(createReadStream('/opt/ml/model/model.tar.gz'), 'model.tar.gz');
 */
export async function readBundleArchive(source: Readable | Uint8Array, name: string): Promise<Map<string, Buffer>> {
  const found = new Map<string, Buffer>();
  const tar = extract();
  tar.on('entry', (header, stream, next) => {
    const entry = header.name.replace(/^\.\//, '');
    const take = header.type === 'file' && WANTED.has(entry);
    if (take && (header.size ?? 0) > MAX_ARCHIVE_ENTRY_BYTES) {
      next(new BundleError('BUNDLE_ARCHIVE_INVALID', `${name}: ${entry} is over ${MAX_ARCHIVE_ENTRY_BYTES} bytes`));
      return;
    }
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: unknown) => {
      if (take) chunks.push(chunk as Buffer);
    });
    stream.on('end', () => {
      if (take) found.set(entry, Buffer.concat(chunks));
      next();
    });
  });
  const input = source instanceof Readable ? source : Readable.from([source]);
  try {
    await pipeline(input, createGunzip(), tar);
  } catch (err) {
    if (err instanceof BundleError) throw err;
    throw new BundleError('BUNDLE_ARCHIVE_INVALID', `cannot read ${name}: ${(err as Error).message}`, { cause: err });
  }
  return found;
}
