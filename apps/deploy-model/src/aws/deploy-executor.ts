import { PutScalingPolicyCommand, RegisterScalableTargetCommand } from '@aws-sdk/client-application-auto-scaling';
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  UpdateEndpointCommand,
  type DescribeEndpointCommandOutput,
} from '@aws-sdk/client-sagemaker';
import { DeployError } from '../errors';
import type { DeployPlan } from '../plan/deploy-plan';
import { PREVIOUS_CONFIG_TAG } from '../plan/names';
import { awsCall, describeOrUndefined } from './aws-call';
import type { AwsClients } from './clients';
import { uploadArtifact } from './upload-artifact';
import { waitForEndpoint } from './wait-endpoint';

/** Run-time context of a deploy: clients, polling, Ctrl-C signal, and a journal of what was done. */
export interface ExecuteContext {
  readonly clients: AwsClients;
  readonly pollMs: number;
  readonly signal?: AbortSignal | undefined;
  /** Receives one line per step done or skipped; on failure the CLI prints it so the operator knows what exists. */
  readonly journal: string[];
  readonly onProgress?: ((line: string) => void) | undefined;
}

/** What a finished deploy did. */
export interface DeployResult {
  readonly endpointName: string;
  readonly endpointConfigName: string;
  readonly modelName: string;
  readonly artifactUri: string;
  readonly previousEndpointConfig: string | null;
  readonly action: 'created' | 'updated' | 'unchanged' | 'resumed';
  readonly journal: readonly string[];
}

const BUSY = new Set(['Creating', 'Updating', 'SystemUpdating', 'RollingBack', 'UpdateRollbackFailed', 'Deleting']);

function checkEndpointUsable(current: DescribeEndpointCommandOutput | undefined, target: string): void {
  if (current === undefined) return;
  const status = current.EndpointStatus ?? 'unknown';
  const pending = current.PendingDeploymentSummary?.EndpointConfigName;
  const goingToTarget = pending === target || (pending === undefined && current.EndpointConfigName === target);
  if (BUSY.has(status) && !goingToTarget) {
    throw new DeployError(
      'ENDPOINT_BUSY',
      `${current.EndpointName ?? 'the endpoint'} is ${status}${pending ? ` (to ${pending})` : ''}; nothing was changed`,
      {
        hint: 'wait until it is InService (`status --env ...`), then re-run',
      },
    );
  }
  if (status === 'Failed') {
    throw new DeployError(
      'ENDPOINT_FAILED',
      `${current.EndpointName ?? 'the endpoint'} is Failed: ${current.FailureReason ?? 'no FailureReason given'}; nothing was changed`,
      {
        hint: 'an endpoint that failed to create must be deleted (aws sagemaker delete-endpoint) before re-running',
      },
    );
  }
}

/**
 * Runs a deploy plan against AWS, idempotently: each step first checks whether its result exists
 * (same-sha256 object, model, config, endpoint already on or moving to the config) and skips it if so,
 * so a re-run after any failure or Ctrl-C picks up where the last one stopped.
 *
 * @example const result = await executeDeploy(plan, { clients, pollMs: 15_000, journal: [] });
 */
export async function executeDeploy(plan: DeployPlan, ctx: ExecuteContext): Promise<DeployResult> {
  const { sagemaker, autoscaling } = ctx.clients;
  const opt = ctx.signal ? { abortSignal: ctx.signal } : {};
  const env = plan.environment;
  const configName = plan.createEndpointConfig.EndpointConfigName ?? '';
  const modelName = plan.createModel.ModelName ?? '';
  const note = (line: string): void => {
    ctx.journal.push(line);
    ctx.onProgress?.(line);
  };

  const current = await describeOrUndefined('DescribeEndpoint', () =>
    sagemaker.send(new DescribeEndpointCommand({ EndpointName: env.endpointName }), opt),
  );
  checkEndpointUsable(current, configName);

  const uploaded = await uploadArtifact(ctx.clients.s3, plan.upload, { signal: ctx.signal });
  note(
    uploaded === 'uploaded'
      ? `uploaded ${plan.artifactUri}`
      : `artifact already at ${plan.artifactUri} (same sha256), upload skipped`,
  );

  if (
    await describeOrUndefined('DescribeModel', () =>
      sagemaker.send(new DescribeModelCommand({ ModelName: modelName }), opt),
    )
  ) {
    note(`model ${modelName} exists`);
  } else {
    await awsCall('CreateModel', () => sagemaker.send(new CreateModelCommand(plan.createModel), opt));
    note(`created model ${modelName}`);
  }

  const runningOther =
    current?.EndpointConfigName !== undefined && current.EndpointConfigName !== configName
      ? current.EndpointConfigName
      : null;
  if (
    await describeOrUndefined('DescribeEndpointConfig', () =>
      sagemaker.send(new DescribeEndpointConfigCommand({ EndpointConfigName: configName }), opt),
    )
  ) {
    note(`endpoint config ${configName} exists`);
  } else {
    const tags = runningOther
      ? [...plan.createEndpointConfig.Tags, { Key: PREVIOUS_CONFIG_TAG, Value: runningOther }]
      : plan.createEndpointConfig.Tags;
    await awsCall('CreateEndpointConfig', () =>
      sagemaker.send(new CreateEndpointConfigCommand({ ...plan.createEndpointConfig, Tags: tags }), opt),
    );
    note(`created endpoint config ${configName}${runningOther ? ` (previous: ${runningOther})` : ''}`);
  }

  let action: DeployResult['action'];
  if (current === undefined) {
    await awsCall('CreateEndpoint', () => sagemaker.send(new CreateEndpointCommand(plan.createEndpoint), opt));
    note(`creating endpoint ${env.endpointName}`);
    action = 'created';
  } else if (
    current.PendingDeploymentSummary?.EndpointConfigName === configName ||
    (BUSY.has(current.EndpointStatus ?? '') && !runningOther)
  ) {
    note(`endpoint ${env.endpointName} is already moving to ${configName}; resuming the wait`);
    action = 'resumed';
  } else if (runningOther) {
    await awsCall('UpdateEndpoint', () => sagemaker.send(new UpdateEndpointCommand(plan.updateEndpoint), opt));
    note(
      `updating endpoint ${env.endpointName} from ${runningOther} to ${configName} (blue/green, canary ${env.deployment.canaryPercent}%)`,
    );
    action = 'updated';
  } else {
    note(`endpoint ${env.endpointName} already runs ${configName}`);
    action = 'unchanged';
  }

  await waitForEndpoint(sagemaker, {
    endpointName: env.endpointName,
    targetConfig: configName,
    timeoutMs: env.deployment.waitTimeoutSeconds * 1000,
    pollMs: ctx.pollMs,
    signal: ctx.signal,
    onProgress: ctx.onProgress,
  });
  note(`endpoint ${env.endpointName} is InService on ${configName}`);

  await awsCall('RegisterScalableTarget', () =>
    autoscaling.send(new RegisterScalableTargetCommand(plan.registerScalableTarget), opt),
  );
  await awsCall('PutScalingPolicy', () => autoscaling.send(new PutScalingPolicyCommand(plan.putScalingPolicy), opt));
  note(
    `autoscaling ${env.autoscaling.minCapacity}..${env.autoscaling.maxCapacity} instances, target ${env.autoscaling.targetInvocationsPerInstance} invocations/instance`,
  );

  return {
    endpointName: env.endpointName,
    endpointConfigName: configName,
    modelName,
    artifactUri: plan.artifactUri,
    previousEndpointConfig: runningOther,
    action,
    journal: ctx.journal,
  };
}
