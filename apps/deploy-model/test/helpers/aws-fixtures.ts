import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { Manifest } from '@lead-scoring/model-bundle';
import { defaultEnvironmentsFile } from '../../src/app-config';
import type { AwsClients } from '../../src/aws/clients';
import type { Artifact } from '../../src/bundle/package-bundle';
import { parseEnvironments, type Environment } from '../../src/environments';
import { buildDeployPlan, type DeployPlan } from '../../src/plan/deploy-plan';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

/** Clients with dummy credentials (the mocks answer every call). */
export function testClients(): AwsClients {
  return {
    s3: new S3Client({ region: 'eu-west-1', credentials }),
    sagemaker: new SageMakerClient({ region: 'eu-west-1', credentials }),
    autoscaling: new ApplicationAutoScalingClient({ region: 'eu-west-1', credentials }),
  };
}

/** The checked-in staging environment, optionally tweaked. */
export function stagingEnvironment(patch: (env: Environment) => Environment = (e) => e): Environment {
  return patch(parseEnvironments(readFileSync(defaultEnvironmentsFile(), 'utf8'), 'environments.json')['staging']!);
}

/** A plan for a fake artifact of model lead-test@2.0.0 (no evaluator needed). */
export function testPlan(env: Environment = stagingEnvironment(), version = '2.0.0'): DeployPlan {
  const bytes = Buffer.from(`model.tar.gz of ${version}`);
  const artifact: Artifact = { bytes, sha256: createHash('sha256').update(bytes).digest('hex'), layout: 'builtin' };
  const manifest = {
    name: 'lead-test',
    version,
    sha256: 'a'.repeat(64),
    created_at: '2026-01-02T03:04:05Z',
  } as unknown as Manifest;
  return buildDeployPlan({ envName: 'staging', environment: env, manifest, artifact });
}

/** An error shaped like the SDK's for a missing SageMaker resource. */
export function notFound(what: string): Error {
  return Object.assign(new Error(`Could not find ${what}.`), {
    name: 'ValidationException',
    $metadata: { httpStatusCode: 400 },
  });
}

/** An error shaped like S3's HeadObject 404. */
export function s3NotFound(): Error {
  return Object.assign(new Error('NotFound'), { name: 'NotFound', $metadata: { httpStatusCode: 404 } });
}
