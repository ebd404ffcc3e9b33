import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import {
  DEMO_BUNDLE_DIR,
  MANIFEST_FILE,
  MODEL_FILE,
  bundleFromBytes,
  loadBundle,
  readBundleArchive,
  type ModelBundle,
} from '@lead-scoring/model-bundle';
import type { ApiConfig } from './config';

/**
 * Loads the model bundle the configuration names: an S3 prefix or `model.tar.gz` (MODEL_S3_URI),
 * a folder (MODEL_DIR), or the demo bundle (inside the Lambda build: `models/demo` next to the
 * handler, found by the bundle library's upward search; in the repository: `models/demo`).
 *
 * @example
 * const bundle = await loadModelBundle(loadConfig().model);
 */
export async function loadModelBundle(source: ApiConfig['model'], opts: { s3?: S3Client } = {}): Promise<ModelBundle> {
  if (source.kind === 'dir') return loadBundle(source.dir);
  if (source.kind === 'demo') return loadBundle(demoDir());
  // Loaded on demand: requiring the S3 client costs ~100 ms of Lambda cold start that the default
  // (bundled demo model) never needs.
  const sdk = await import('@aws-sdk/client-s3');
  const s3 =
    opts.s3 ?? new sdk.S3Client(source.endpointUrl ? { endpoint: source.endpointUrl, forcePathStyle: true } : {});
  return loadFromS3(s3, source.uri, sdk.GetObjectCommand);
}

function demoDir(): string {
  const packaged = join(__dirname, 'models', 'demo');
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- a fixed file name next to this module
  return existsSync(join(packaged, MANIFEST_FILE)) ? packaged : DEMO_BUNDLE_DIR;
}

/** `s3://bucket/prefix/` (manifest.json + xgboost-model under it) or `s3://bucket/key.tar.gz` (SageMaker's artefact). */
async function loadFromS3(s3: S3Client, uri: string, Get: GetCommand): Promise<ModelBundle> {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  const bucket = m?.[1];
  const key = m?.[2] ?? '';
  if (!bucket) throw new Error(`MODEL_S3_URI: ${uri} is not an s3:// URI`);
  if (/\.tar\.gz$|\.tgz$/.test(key)) {
    const files = await readBundleArchive(await getObject({ s3, Get, bucket, key }), uri);
    const manifest = files.get(MANIFEST_FILE);
    const modelBytes = files.get(MODEL_FILE);
    if (!manifest || !modelBytes) throw new Error(`${uri} must hold ${MANIFEST_FILE} and ${MODEL_FILE} at its root`);
    return bundleFromBytes({ manifest: JSON.parse(Buffer.from(manifest).toString('utf8')), modelBytes, dir: uri });
  }
  const prefix = key === '' || key.endsWith('/') ? key : `${key}/`;
  const [manifest, modelBytes] = await Promise.all([
    getObject({ s3, Get, bucket, key: prefix + MANIFEST_FILE }),
    getObject({ s3, Get, bucket, key: prefix + MODEL_FILE }),
  ]);
  return bundleFromBytes({ manifest: JSON.parse(Buffer.from(manifest).toString('utf8')), modelBytes, dir: uri });
}

type GetCommand = typeof import('@aws-sdk/client-s3').GetObjectCommand;

async function getObject(o: { s3: S3Client; Get: GetCommand; bucket: string; key: string }): Promise<Uint8Array> {
  const { s3, Get, bucket, key } = o;
  try {
    const out = await s3.send(new Get({ Bucket: bucket, Key: key }));
    if (!out.Body) throw new Error('empty body');
    return await out.Body.transformToByteArray();
  } catch (err) {
    throw new Error(`cannot read s3://${bucket}/${key}: ${(err as Error).name}: ${(err as Error).message}`, {
      cause: err,
    });
  }
}
