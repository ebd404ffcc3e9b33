import {
  DeleteEndpointConfigCommand,
  DeleteModelCommand,
  DescribeEndpointCommand,
  ListEndpointConfigsCommand,
  ListModelsCommand,
  ListTagsCommand,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import type { Environment } from '../environments';
import { ENDPOINT_TAG, PREVIOUS_CONFIG_TAG } from '../plan/names';
import { awsCall, describeOrUndefined } from './aws-call';
import { configTags } from './endpoint-ops';

/** What `prune` kept and deleted (or would delete, with --dry-run). */
export interface PruneResult {
  readonly keptConfigs: readonly string[];
  readonly deletedConfigs: readonly string[];
  readonly deletedModels: readonly string[];
  readonly dryRun: boolean;
}

interface Resource {
  readonly name: string;
  readonly arn: string;
}

async function listOurs(
  sagemaker: SageMakerClient,
  kind: 'configs' | 'models',
  endpointName: string,
): Promise<Resource[]> {
  const found: Resource[] = [];
  let token: string | undefined;
  do {
    const base = {
      NameContains: endpointName,
      SortBy: 'CreationTime' as const,
      SortOrder: 'Descending' as const,
      ...(token ? { NextToken: token } : {}),
    };
    if (kind === 'configs') {
      const page = await awsCall('ListEndpointConfigs', () => sagemaker.send(new ListEndpointConfigsCommand(base)));
      for (const c of page.EndpointConfigs ?? [])
        if (c.EndpointConfigName && c.EndpointConfigArn)
          found.push({ name: c.EndpointConfigName, arn: c.EndpointConfigArn });
      token = page.NextToken;
    } else {
      const page = await awsCall('ListModels', () => sagemaker.send(new ListModelsCommand(base)));
      for (const m of page.Models ?? [])
        if (m.ModelName && m.ModelArn) found.push({ name: m.ModelName, arn: m.ModelArn });
      token = page.NextToken;
    }
  } while (token);
  // NameContains is a substring match: keep only resources tagged as made for this endpoint.
  const ours: Resource[] = [];
  for (const r of found.filter((x) => x.name.startsWith(`${endpointName}-`))) {
    const tags = await awsCall('ListTags', () => sagemaker.send(new ListTagsCommand({ ResourceArn: r.arn })));
    if ((tags.Tags ?? []).some((t) => t.Key === ENDPOINT_TAG && t.Value === endpointName)) ours.push(r);
  }
  return ours;
}

/**
 * Deletes this endpoint's old endpoint configs and models, keeping the `keep` newest configs plus the one in
 * service, the one being deployed and the rollback target, and every model those use. S3 artifacts stay.
 *
 * @example await pruneEndpoint(sagemaker, environment, { keep: 3, dryRun: true })
 */
export async function pruneEndpoint(
  sagemaker: SageMakerClient,
  env: Environment,
  opts: { keep: number; dryRun: boolean },
): Promise<PruneResult> {
  const endpoint = await describeOrUndefined('DescribeEndpoint', () =>
    sagemaker.send(new DescribeEndpointCommand({ EndpointName: env.endpointName })),
  );
  const protectedNames = new Set<string>();
  for (const name of [endpoint?.EndpointConfigName, endpoint?.PendingDeploymentSummary?.EndpointConfigName])
    if (name) protectedNames.add(name);
  if (endpoint?.EndpointConfigName) {
    const previous = (await configTags(sagemaker, endpoint.EndpointConfigName))?.tags.get(PREVIOUS_CONFIG_TAG);
    if (previous) protectedNames.add(previous);
  }
  const configs = await listOurs(sagemaker, 'configs', env.endpointName);
  const kept = configs.filter((c, i) => i < opts.keep || protectedNames.has(c.name)).map((c) => c.name);
  for (const name of protectedNames) if (!kept.includes(name)) kept.push(name);
  const deletedConfigs = configs.map((c) => c.name).filter((name) => !kept.includes(name));

  const usedModels = new Set<string>();
  for (const name of kept) for (const m of (await configTags(sagemaker, name))?.modelNames ?? []) usedModels.add(m);
  const deletedModels = (await listOurs(sagemaker, 'models', env.endpointName))
    .map((m) => m.name)
    .filter((name) => !usedModels.has(name));

  if (!opts.dryRun) {
    for (const name of deletedConfigs)
      await awsCall('DeleteEndpointConfig', () =>
        sagemaker.send(new DeleteEndpointConfigCommand({ EndpointConfigName: name })),
      );
    for (const name of deletedModels)
      await awsCall('DeleteModel', () => sagemaker.send(new DeleteModelCommand({ ModelName: name })));
  }
  return { keptConfigs: kept, deletedConfigs, deletedModels, dryRun: opts.dryRun };
}
