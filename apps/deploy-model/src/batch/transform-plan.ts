import type { CreateTransformJobCommandInput } from '@aws-sdk/client-sagemaker';
import type { Manifest } from '@lead-scoring/model-bundle';
import { DeployError } from '../errors';
import type { Environment } from '../environments';
import { ENDPOINT_TAG, MODEL_NAME_TAG, MODEL_VERSION_TAG, resourceName, shortHash } from '../plan/names';
import { transformLimits } from './transform-limits';

/** The Transform job a `batch` run makes, computed without any network call. */
export interface TransformPlan {
  readonly envName: string;
  readonly region: string;
  /** The SageMaker model `deploy` made for this bundle version (deploy-plan.ts names it the same way). */
  readonly modelName: string;
  readonly jobName: string;
  readonly createTransformJob: CreateTransformJobCommandInput & { TransformJobName: string; ModelName: string };
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Checks an `s3://bucket/key` argument; USAGE naming the flag otherwise. */
export function checkS3Uri(flag: string, uri: string): string {
  const bucket = uri.startsWith('s3://') ? uri.slice(5).split('/', 1)[0]! : '';
  if (!BUCKET.test(bucket))
    throw new DeployError('USAGE', `${flag} must be an S3 URI, s3://<bucket>/<key or prefix>; got "${uri}"`);
  return uri;
}

/**
 * The CreateTransformJob input for scoring `input` (CSV objects, no header, one lead a line, features in
 * manifest order) with the environment's deployed model. The job name is the same for the same model version,
 * input, output and instance count, so re-running the command finds the job it started.
 *
 * @example buildTransformPlan({ envName: 'staging', environment, manifest, input: 's3://b/leads/', output: 's3://b/scores/', instances: 2 })
 */
export function buildTransformPlan(opts: {
  envName: string;
  environment: Environment;
  manifest: Manifest;
  input: string;
  output: string;
  instances: number;
  jobName?: string | undefined;
}): TransformPlan {
  const { environment: env, manifest } = opts;
  const modelName = resourceName([env.endpointName, manifest.name, manifest.version]);
  const jobName =
    opts.jobName ??
    resourceName([
      env.endpointName,
      'batch',
      manifest.version,
      shortHash(`${opts.input}\n${opts.output}\n${opts.instances}`),
    ]);
  const limits = transformLimits(env);
  return {
    envName: opts.envName,
    region: env.region,
    modelName,
    jobName,
    createTransformJob: {
      TransformJobName: jobName,
      ModelName: modelName,
      BatchStrategy: 'MultiRecord',
      MaxPayloadInMB: limits.maxPayloadInMB,
      MaxConcurrentTransforms: limits.maxConcurrentTransforms,
      TransformInput: {
        DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: checkS3Uri('--input', opts.input) } },
        ContentType: 'text/csv',
        CompressionType: 'None',
        SplitType: 'Line',
      },
      TransformOutput: { S3OutputPath: checkS3Uri('--output', opts.output), Accept: 'text/csv', AssembleWith: 'Line' },
      TransformResources: { InstanceType: env.instanceType as never, InstanceCount: opts.instances },
      Tags: [
        { Key: MODEL_NAME_TAG, Value: manifest.name },
        { Key: MODEL_VERSION_TAG, Value: manifest.version },
        { Key: ENDPOINT_TAG, Value: env.endpointName },
        { Key: 'lead-scoring:environment', Value: opts.envName },
      ],
    },
  };
}

/**
 * The plan as `batch --dry-run` prints it: every AWS call in order with its parameters.
 *
 * @example JSON.stringify(renderTransformPlan(plan, 15))
 */
export function renderTransformPlan(
  plan: TransformPlan,
  pollSeconds: number,
): { dryRun: true; environment: string; region: string; calls: unknown[] } {
  const describeJob = { TransformJobName: plan.jobName };
  return {
    dryRun: true,
    environment: plan.envName,
    region: plan.region,
    calls: [
      {
        service: 'SageMaker',
        operation: 'DescribeModel',
        when: 'always (refuses when the model version is not deployed)',
        input: { ModelName: plan.modelName },
      },
      {
        service: 'SageMaker',
        operation: 'DescribeTransformJob',
        when: 'always (a job of this name already running is waited for, a completed one reported)',
        input: describeJob,
      },
      {
        service: 'SageMaker',
        operation: 'CreateTransformJob',
        when: 'unless the job exists',
        input: plan.createTransformJob,
      },
      {
        service: 'SageMaker',
        operation: 'DescribeTransformJob',
        when: `SDK waiter (waitUntilTransformJobCompletedOrStopped), from every ${pollSeconds} s (DEPLOY_MODEL_POLL_SECONDS) backing off to every 5 minutes, until Completed, Failed or Stopped`,
        input: describeJob,
      },
    ],
  };
}
