import {
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  ListTagsCommand,
  UpdateEndpointCommand,
  type DescribeEndpointCommandOutput,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import type { Environment } from '../environments';
import { DeployError } from '../errors';
import { MODEL_VERSION_TAG, PREVIOUS_CONFIG_TAG } from '../plan/names';
import { awsCall, describeOrUndefined } from './aws-call';
import { waitForEndpoint } from './wait-endpoint';

/** What `status` prints. */
export interface EndpointStatus {
  readonly endpointName: string;
  readonly status: string;
  readonly endpointConfigName: string | null;
  readonly modelNames: readonly string[];
  readonly modelVersion: string | null;
  readonly previousEndpointConfig: string | null;
  readonly pendingEndpointConfig: string | null;
  readonly failureReason: string | null;
  readonly variants: readonly { name: string; currentInstances: number | null; desiredInstances: number | null }[];
}

/** Describes an endpoint, throwing ENDPOINT_NOT_FOUND when there is none. */
export async function describeEndpoint(
  sagemaker: SageMakerClient,
  endpointName: string,
  signal?: AbortSignal,
): Promise<DescribeEndpointCommandOutput> {
  const d = await describeOrUndefined('DescribeEndpoint', () =>
    sagemaker.send(new DescribeEndpointCommand({ EndpointName: endpointName }), signal ? { abortSignal: signal } : {}),
  );
  if (d === undefined)
    throw new DeployError('ENDPOINT_NOT_FOUND', `endpoint ${endpointName} does not exist`, {
      hint: 'deploy a model first: deploy --env <name>',
    });
  return d;
}

/** Reads an endpoint config's tags as a map (our configs carry the previous config and the model version). */
export async function configTags(
  sagemaker: SageMakerClient,
  configName: string,
): Promise<{ modelNames: string[]; tags: Map<string, string> } | undefined> {
  const config = await describeOrUndefined('DescribeEndpointConfig', () =>
    sagemaker.send(new DescribeEndpointConfigCommand({ EndpointConfigName: configName })),
  );
  if (config === undefined) return undefined;
  const tags = new Map<string, string>();
  if (config.EndpointConfigArn) {
    const listed = await awsCall('ListTags', () =>
      sagemaker.send(new ListTagsCommand({ ResourceArn: config.EndpointConfigArn })),
    );
    for (const t of listed.Tags ?? []) if (t.Key !== undefined && t.Value !== undefined) tags.set(t.Key, t.Value);
  }
  return { modelNames: (config.ProductionVariants ?? []).flatMap((v) => (v.ModelName ? [v.ModelName] : [])), tags };
}

/**
 * The endpoint's state: status, config, model(s) and version, rollback target, pending deployment, FailureReason.
 *
 * @example console.log(JSON.stringify(await endpointStatus(sagemaker, 'lead-scoring-staging')));
 */
export async function endpointStatus(sagemaker: SageMakerClient, endpointName: string): Promise<EndpointStatus> {
  const d = await describeEndpoint(sagemaker, endpointName);
  const config = d.EndpointConfigName ? await configTags(sagemaker, d.EndpointConfigName) : undefined;
  return {
    endpointName,
    status: d.EndpointStatus ?? 'unknown',
    endpointConfigName: d.EndpointConfigName ?? null,
    modelNames: config?.modelNames ?? [],
    modelVersion: config?.tags.get(MODEL_VERSION_TAG) ?? null,
    previousEndpointConfig: config?.tags.get(PREVIOUS_CONFIG_TAG) ?? null,
    pendingEndpointConfig: d.PendingDeploymentSummary?.EndpointConfigName ?? null,
    failureReason: d.FailureReason ?? null,
    variants: (d.ProductionVariants ?? []).map((v) => ({
      name: v.VariantName ?? '?',
      currentInstances: v.CurrentInstanceCount ?? null,
      desiredInstances: v.DesiredInstanceCount ?? null,
    })),
  };
}

/**
 * Moves the endpoint back to the config it ran before (the PREVIOUS_CONFIG_TAG of its current config), as a
 * blue/green update with all-at-once traffic shifting, and waits for InService.
 *
 * @example await rollbackEndpoint(sagemaker, environment, { pollMs: 15_000 }) // { from, to }
 */
export async function rollbackEndpoint(
  sagemaker: SageMakerClient,
  env: Environment,
  opts: { pollMs: number; signal?: AbortSignal | undefined; onProgress?: ((line: string) => void) | undefined },
): Promise<{ from: string; to: string }> {
  const d = await describeEndpoint(sagemaker, env.endpointName, opts.signal);
  if (d.EndpointStatus !== 'InService' || d.EndpointConfigName === undefined) {
    throw new DeployError(
      'ENDPOINT_BUSY',
      `${env.endpointName} is ${d.EndpointStatus ?? 'unknown'}; a rollback needs it InService`,
      {
        hint: 'SageMaker rolls back a failing blue/green update by itself; wait for InService, then re-run',
      },
    );
  }
  const from = d.EndpointConfigName;
  const to = (await configTags(sagemaker, from))?.tags.get(PREVIOUS_CONFIG_TAG);
  if (to === undefined)
    throw new DeployError(
      'NO_PREVIOUS_CONFIG',
      `${from} carries no ${PREVIOUS_CONFIG_TAG} tag: there is nothing to roll back to`,
    );
  if ((await configTags(sagemaker, to)) === undefined) {
    throw new DeployError('NO_PREVIOUS_CONFIG', `the previous endpoint config ${to} no longer exists (pruned?)`, {
      hint: 'deploy the wanted model version instead',
    });
  }
  await awsCall('UpdateEndpoint', () =>
    sagemaker.send(
      new UpdateEndpointCommand({
        EndpointName: env.endpointName,
        EndpointConfigName: to,
        RetainAllVariantProperties: false,
        DeploymentConfig: {
          BlueGreenUpdatePolicy: {
            TrafficRoutingConfiguration: { Type: 'ALL_AT_ONCE', WaitIntervalInSeconds: 0 },
            TerminationWaitInSeconds: 0,
            MaximumExecutionTimeoutInSeconds: env.deployment.maximumExecutionTimeoutSeconds,
          },
        },
      }),
      opts.signal ? { abortSignal: opts.signal } : {},
    ),
  );
  opts.onProgress?.(`rolling back ${env.endpointName} from ${from} to ${to}`);
  await waitForEndpoint(sagemaker, {
    endpointName: env.endpointName,
    targetConfig: to,
    timeoutMs: env.deployment.waitTimeoutSeconds * 1000,
    pollMs: opts.pollMs,
    signal: opts.signal,
    onProgress: opts.onProgress,
  });
  return { from, to };
}
