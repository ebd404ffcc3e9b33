import type { DeployPlan } from './deploy-plan';
import { PREVIOUS_CONFIG_TAG } from './names';

/** One AWS call of a rendered plan. */
export interface PlannedCall {
  readonly service: 'S3' | 'SageMaker' | 'ApplicationAutoScaling';
  readonly operation: string;
  /** When the call is made (every call is skipped when what it makes already exists). */
  readonly when: string;
  readonly input: unknown;
}

/**
 * Renders a plan as the JSON `deploy --dry-run` prints: every AWS call in order with its parameters.
 * The artifact body is summarised (size + sha256); values only known at run time are described in angle brackets.
 *
 * @example JSON.parse(JSON.stringify(renderPlan(plan))).calls.map((c) => c.operation)
 */
export function renderPlan(plan: DeployPlan): {
  dryRun: true;
  environment: string;
  region: string;
  model: DeployPlan['model'];
  artifact: DeployPlan['artifact'] & { uri: string };
  calls: PlannedCall[];
} {
  const env = plan.environment;
  const { Body, ...upload } = plan.upload;
  const previousTag = {
    Key: PREVIOUS_CONFIG_TAG,
    Value: `<endpoint config ${env.endpointName} runs at deploy time; omitted if the endpoint does not exist>`,
  };
  const calls: PlannedCall[] = [
    {
      service: 'SageMaker',
      operation: 'DescribeEndpoint',
      when: 'always (refuses to go on while the endpoint is updating to another config)',
      input: { EndpointName: env.endpointName },
    },
    { service: 'S3', operation: 'HeadObject', when: 'always', input: { Bucket: upload.Bucket, Key: upload.Key } },
    {
      service: 'S3',
      operation: 'PutObject',
      when: 'unless an object with metadata sha256 = the artifact sha256 is already there',
      input: { ...upload, Body: `<model.tar.gz: ${Body.length} bytes, sha256 ${plan.artifact.sha256}>` },
    },
    { service: 'SageMaker', operation: 'CreateModel', when: 'unless DescribeModel finds it', input: plan.createModel },
    {
      service: 'SageMaker',
      operation: 'CreateEndpointConfig',
      when: 'unless DescribeEndpointConfig finds it',
      input: { ...plan.createEndpointConfig, Tags: [...plan.createEndpointConfig.Tags, previousTag] },
    },
    {
      service: 'SageMaker',
      operation: 'CreateEndpoint',
      when: 'if the endpoint does not exist',
      input: plan.createEndpoint,
    },
    {
      service: 'SageMaker',
      operation: 'UpdateEndpoint',
      when: 'if the endpoint exists and runs another config',
      input: plan.updateEndpoint,
    },
    {
      service: 'SageMaker',
      operation: 'DescribeEndpoint',
      when: `every DEPLOY_MODEL_POLL_SECONDS (default 15 s) until InService on the new config (timeout ${env.deployment.waitTimeoutSeconds} s)`,
      input: { EndpointName: env.endpointName },
    },
    {
      service: 'ApplicationAutoScaling',
      operation: 'RegisterScalableTarget',
      when: 'after InService',
      input: plan.registerScalableTarget,
    },
    {
      service: 'ApplicationAutoScaling',
      operation: 'PutScalingPolicy',
      when: 'after InService',
      input: plan.putScalingPolicy,
    },
  ];
  return {
    dryRun: true,
    environment: plan.envName,
    region: env.region,
    model: plan.model,
    artifact: { ...plan.artifact, uri: plan.artifactUri },
    calls,
  };
}
