import { rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
// s3rver ships no types; it is a test-only dev dependency.
const S3rver = require('s3rver') as new (opts: Record<string, unknown>) => {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
};
import { uploadArtifact } from '../src/aws/upload-artifact';
import { testPlan } from './helpers/aws-fixtures';
import { tempDir } from './helpers/temp';

describe('artifact upload against an S3-compatible server (s3rver)', () => {
  let server: InstanceType<typeof S3rver>;
  let dir: string;
  let s3: S3Client;
  const plan = testPlan();

  beforeAll(async () => {
    process.env['AWS_EC2_METADATA_DISABLED'] = 'true';
    dir = tempDir('s3rver-');
    server = new S3rver({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory: dir,
      configureBuckets: [{ name: plan.upload.Bucket }],
    });
    const { port } = await server.run();
    s3 = new S3Client({
      region: 'eu-west-1',
      endpoint: `http://127.0.0.1:${port}`,
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
  });

  afterAll(async () => {
    s3.destroy();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('uploads the artifact with its sha256 as metadata, then skips the same artifact on a re-run', async () => {
    expect(await uploadArtifact(s3, plan.upload)).toBe('uploaded');
    const head = await s3.send(new HeadObjectCommand({ Bucket: plan.upload.Bucket, Key: plan.upload.Key }));
    expect(head.Metadata?.['sha256']).toBe(plan.artifact.sha256);
    const body = await (
      await s3.send(new GetObjectCommand({ Bucket: plan.upload.Bucket, Key: plan.upload.Key }))
    ).Body!.transformToByteArray();
    expect(Buffer.from(body).equals(Buffer.from(plan.upload.Body))).toBe(true);

    expect(await uploadArtifact(s3, plan.upload)).toBe('exists');
  });

  it('refuses to overwrite the same version with a different artifact', async () => {
    const other = testPlan(undefined, '2.0.0');
    const changed = {
      ...other.upload,
      Body: Buffer.from('other bytes'),
      Metadata: { ...other.upload.Metadata, sha256: 'b'.repeat(64) },
    };
    await expect(uploadArtifact(s3, changed)).rejects.toMatchObject({ code: 'ARTIFACT_CONFLICT' });
  });
});
