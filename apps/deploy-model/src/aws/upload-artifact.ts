import { HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { DeployError } from '../errors';
import type { DeployPlan } from '../plan/deploy-plan';
import { awsCall, describeOrUndefined } from './aws-call';

/**
 * Uploads the artifact unless an object with the same sha256 (user metadata) is already at the key.
 * An object there with another sha256 is refused: a model version is immutable once uploaded.
 *
 * @example await uploadArtifact(s3, plan.upload, { signal }) // 'uploaded' | 'exists'
 */
export async function uploadArtifact(
  s3: S3Client,
  upload: DeployPlan['upload'],
  opts: { signal?: AbortSignal | undefined } = {},
): Promise<'uploaded' | 'exists'> {
  const sha256 = upload.Metadata?.['sha256'];
  const where = `s3://${upload.Bucket}/${upload.Key}`;
  const head = await describeOrUndefined('S3 HeadObject', () =>
    s3.send(new HeadObjectCommand({ Bucket: upload.Bucket, Key: upload.Key }), {
      ...(opts.signal ? { abortSignal: opts.signal } : {}),
    }),
  );
  if (head !== undefined) {
    const existing = head.Metadata?.['sha256'];
    if (existing === sha256) return 'exists';
    throw new DeployError(
      'ARTIFACT_CONFLICT',
      `${where} already holds a different artifact (sha256 ${existing ?? 'unknown'}, ours ${sha256 ?? 'unknown'})`,
      {
        hint: 'a model version is immutable once uploaded: bump the manifest version',
      },
    );
  }
  await awsCall('S3 PutObject', () =>
    s3.send(new PutObjectCommand(upload), { ...(opts.signal ? { abortSignal: opts.signal } : {}) }),
  );
  return 'uploaded';
}
