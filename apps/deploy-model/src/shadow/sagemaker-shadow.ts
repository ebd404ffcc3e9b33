import {
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  UpdateEndpointCommand,
  type CreateEndpointConfigCommandInput,
  type DescribeEndpointConfigCommandOutput,
  type ProductionVariant,
} from '@aws-sdk/client-sagemaker';
import { awsCall, describeOrUndefined } from '../aws/aws-call';
import { describeEndpoint } from '../aws/endpoint-ops';
import type { ExecuteContext } from '../aws/deploy-executor';
import { uploadArtifact } from '../aws/upload-artifact';
import { waitForEndpoint } from '../aws/wait-endpoint';
import { DeployError } from '../errors';
import type { DeployPlan } from '../plan/deploy-plan';
import { PREVIOUS_CONFIG_TAG, resourceName, shortHash } from '../plan/names';
import type { PlannedCall } from '../plan/render-plan';

/** The shadow variant's name on the endpoint. */
export const SHADOW_VARIANT = 'Shadow';

/** What a shadow deploy or a promote did on the endpoint. */
export interface ShadowEndpointResult {
  readonly endpointName: string;
  readonly endpointConfigName: string;
  /** The config the endpoint ran before: `rollback` returns to it. */
  readonly previousEndpointConfig: string;
  readonly productionModel: string;
  readonly shadowModel: string | null;
  readonly journal: readonly string[];
}

type ConfigInput = Omit<CreateEndpointConfigCommandInput, 'EndpointConfigName'> & {
  Tags: NonNullable<CreateEndpointConfigCommandInput['Tags']>;
};

/** The production variants of a described config, as CreateEndpointConfig takes them. */
function variantsOf(cfg: DescribeEndpointConfigCommandOutput): ProductionVariant[] {
  return (cfg.ProductionVariants ?? []).map((v) => ({ ...v }));
}

/**
 * The endpoint config that keeps the running production variant(s) as they are and adds the challenger as a
 * SageMaker shadow variant (ShadowProductionVariants): every request is copied to it, its answers only logged
 * (data capture); sized like the environment's production variant.
 */
export function shadowConfigInput(plan: DeployPlan, running: DescribeEndpointConfigCommandOutput | null): ConfigInput {
  const env = plan.environment;
  const placeholder = {
    VariantName: env.variantName,
    ModelName: `<ModelName of ${env.variantName} in the endpoint's current config>`,
  } as ProductionVariant;
  return {
    ProductionVariants: running ? variantsOf(running) : [placeholder],
    ShadowProductionVariants: [
      {
        VariantName: SHADOW_VARIANT,
        ModelName: plan.createModel.ModelName!,
        InstanceType: env.instanceType as never,
        InitialInstanceCount: env.instanceCount,
        InitialVariantWeight: 1,
      },
    ],
    ...(plan.createEndpointConfig.DataCaptureConfig
      ? { DataCaptureConfig: plan.createEndpointConfig.DataCaptureConfig }
      : {}),
    Tags: plan.createEndpointConfig.Tags,
  };
}

/**
 * The endpoint config that makes the shadow variant's model production: the production variant keeps its name,
 * instances and weight, only its ModelName becomes the shadow's; no shadow variant is left.
 */
export function promoteConfigInput(
  running: DescribeEndpointConfigCommandOutput,
): ConfigInput & { shadowModel: string } {
  const shadow = running.ShadowProductionVariants?.[0];
  if (!shadow?.ModelName)
    throw new DeployError(
      'NO_SHADOW',
      `endpoint config ${running.EndpointConfigName ?? '?'} has no shadow variant to promote`,
    );
  const variants = variantsOf(running).map((v) => ({ ...v, ModelName: shadow.ModelName! }));
  return {
    ProductionVariants: variants,
    ...(running.DataCaptureConfig ? { DataCaptureConfig: running.DataCaptureConfig } : {}),
    Tags: [],
    shadowModel: shadow.ModelName,
  };
}

/** A config name for `input` on the endpoint: its purpose and a hash of its settings. */
const configName = (endpoint: string, purpose: string, input: unknown): string =>
  resourceName([endpoint, purpose, shortHash(JSON.stringify(input))]);

/**
 * The calls `deploy --shadow --env <env> --dry-run` prints: upload and model as a deploy makes them, then an endpoint
 * config with the running production variant unchanged plus the challenger as the shadow variant, and UpdateEndpoint.
 */
export function renderShadowPlan(plan: DeployPlan): PlannedCall[] {
  const env = plan.environment;
  const { Body, ...upload } = plan.upload;
  const input = shadowConfigInput(plan, null);
  return [
    {
      service: 'SageMaker',
      operation: 'DescribeEndpoint',
      when: 'always (the endpoint must exist and be InService)',
      input: { EndpointName: env.endpointName },
    },
    {
      service: 'SageMaker',
      operation: 'DescribeEndpointConfig',
      when: 'always: the running config, whose production variant stays as it is',
      input: { EndpointConfigName: "<the endpoint's EndpointConfigName>" },
    },
    {
      service: 'S3',
      operation: 'PutObject',
      when: 'unless the same artifact (sha256) is there',
      input: { ...upload, Body: `<model.tar.gz: ${Body.length} bytes, sha256 ${plan.artifact.sha256}>` },
    },
    { service: 'SageMaker', operation: 'CreateModel', when: 'unless DescribeModel finds it', input: plan.createModel },
    {
      service: 'SageMaker',
      operation: 'CreateEndpointConfig',
      when: 'unless DescribeEndpointConfig finds it',
      input: {
        EndpointConfigName: `${env.endpointName}-shadow-<hash of these settings>`,
        ...input,
        Tags: [...input.Tags, { Key: PREVIOUS_CONFIG_TAG, Value: '<the running config>' }],
      },
    },
    {
      service: 'SageMaker',
      operation: 'UpdateEndpoint',
      when: 'if the endpoint runs another config',
      input: { ...plan.updateEndpoint, EndpointConfigName: `${env.endpointName}-shadow-<hash>` },
    },
    {
      service: 'SageMaker',
      operation: 'DescribeEndpoint',
      when: 'until InService on the new config',
      input: { EndpointName: env.endpointName },
    },
  ];
}

/** The calls `promote --env <env> --dry-run` prints. */
export function renderPromotePlan(plan: Pick<DeployPlan, 'environment' | 'updateEndpoint'>): PlannedCall[] {
  const env = plan.environment;
  const name = `${env.endpointName}-promote-<hash>`;
  return [
    { service: 'SageMaker', operation: 'DescribeEndpoint', when: 'always', input: { EndpointName: env.endpointName } },
    {
      service: 'SageMaker',
      operation: 'DescribeEndpointConfig',
      when: 'always: it must have a shadow variant (else NO_SHADOW)',
      input: { EndpointConfigName: "<the endpoint's EndpointConfigName>" },
    },
    {
      service: 'SageMaker',
      operation: 'CreateEndpointConfig',
      when: 'unless DescribeEndpointConfig finds it',
      input: {
        EndpointConfigName: name,
        ProductionVariants: [
          {
            VariantName: env.variantName,
            ModelName: `<ModelName of the ${SHADOW_VARIANT} variant>`,
            '...': '<instance type, count and weight of the running production variant>',
          },
        ],
        DataCaptureConfig: "<the running config's>",
        Tags: [{ Key: PREVIOUS_CONFIG_TAG, Value: '<the running config (production + shadow): the rollback target>' }],
      },
    },
    {
      service: 'SageMaker',
      operation: 'UpdateEndpoint',
      when: 'always (blue/green, canary)',
      input: { ...plan.updateEndpoint, EndpointConfigName: name },
    },
    {
      service: 'SageMaker',
      operation: 'DescribeEndpoint',
      when: 'until InService on the new config',
      input: { EndpointName: env.endpointName },
    },
  ];
}

/** Runs a shadow deploy (the challenger as the endpoint's shadow variant), idempotently like `deploy`. */
export async function executeShadowDeploy(plan: DeployPlan, ctx: ExecuteContext): Promise<ShadowEndpointResult> {
  const { sagemaker } = ctx.clients;
  const running = await runningConfig(plan, ctx);
  const uploaded = await uploadArtifact(ctx.clients.s3, plan.upload, { signal: ctx.signal });
  note(
    ctx,
    uploaded === 'uploaded'
      ? `uploaded ${plan.artifactUri}`
      : `artifact already at ${plan.artifactUri}, upload skipped`,
  );
  const modelName = plan.createModel.ModelName!;
  if (
    !(await describeOrUndefined('DescribeModel', () =>
      sagemaker.send(new DescribeModelCommand({ ModelName: modelName })),
    ))
  ) {
    await awsCall('CreateModel', () => sagemaker.send(new CreateModelCommand(plan.createModel)));
    note(ctx, `created model ${modelName}`);
  }
  const input = shadowConfigInput(plan, running.config);
  const production = input.ProductionVariants?.[0]?.ModelName ?? '?';
  return switchConfig(plan, ctx, running.name, configName(plan.environment.endpointName, 'shadow', input), input, {
    productionModel: production,
    shadowModel: modelName,
  });
}

/** Makes the shadow variant's model production (blue/green); the config it leaves is the rollback target. */
export async function executePromote(
  plan: Pick<DeployPlan, 'environment' | 'updateEndpoint'>,
  ctx: ExecuteContext,
): Promise<ShadowEndpointResult> {
  const running = await runningConfig(plan, ctx);
  if (!running.config) throw new DeployError('NO_SHADOW', `${plan.environment.endpointName} runs no endpoint config`);
  const { shadowModel, ...input } = promoteConfigInput(running.config);
  return switchConfig(plan, ctx, running.name, configName(plan.environment.endpointName, 'promote', input), input, {
    productionModel: shadowModel,
    shadowModel: null,
  });
}

async function runningConfig(
  plan: Pick<DeployPlan, 'environment'>,
  ctx: ExecuteContext,
): Promise<{ name: string; config: DescribeEndpointConfigCommandOutput | null }> {
  const endpoint = await describeEndpoint(ctx.clients.sagemaker, plan.environment.endpointName, ctx.signal);
  if (endpoint.EndpointStatus !== 'InService' || !endpoint.EndpointConfigName) {
    throw new DeployError(
      'ENDPOINT_BUSY',
      `${plan.environment.endpointName} is ${endpoint.EndpointStatus ?? '?'}; a shadow deploy or promote needs it InService`,
    );
  }
  const name = endpoint.EndpointConfigName;
  const config = await awsCall('DescribeEndpointConfig', () =>
    ctx.clients.sagemaker.send(new DescribeEndpointConfigCommand({ EndpointConfigName: name })),
  );
  return { name, config };
}

async function switchConfig(
  plan: Pick<DeployPlan, 'environment' | 'updateEndpoint'>,
  ctx: ExecuteContext,
  previous: string,
  name: string,
  input: ConfigInput,
  models: { productionModel: string; shadowModel: string | null },
): Promise<ShadowEndpointResult> {
  const { sagemaker } = ctx.clients;
  const env = plan.environment;
  if (
    !(await describeOrUndefined('DescribeEndpointConfig', () =>
      sagemaker.send(new DescribeEndpointConfigCommand({ EndpointConfigName: name })),
    ))
  ) {
    const Tags = [...input.Tags, { Key: PREVIOUS_CONFIG_TAG, Value: previous }];
    await awsCall('CreateEndpointConfig', () =>
      sagemaker.send(new CreateEndpointConfigCommand({ ...input, EndpointConfigName: name, Tags })),
    );
    note(ctx, `created endpoint config ${name} (previous: ${previous})`);
  }
  if (previous !== name) {
    await awsCall('UpdateEndpoint', () =>
      sagemaker.send(new UpdateEndpointCommand({ ...plan.updateEndpoint, EndpointConfigName: name })),
    );
    note(ctx, `updating endpoint ${env.endpointName} from ${previous} to ${name}`);
  }
  await waitForEndpoint(sagemaker, {
    endpointName: env.endpointName,
    targetConfig: name,
    timeoutMs: env.deployment.waitTimeoutSeconds * 1000,
    pollMs: ctx.pollMs,
    signal: ctx.signal,
    onProgress: ctx.onProgress,
  });
  note(ctx, `endpoint ${env.endpointName} is InService on ${name}`);
  return {
    endpointName: env.endpointName,
    endpointConfigName: name,
    previousEndpointConfig: previous,
    ...models,
    journal: ctx.journal,
  };
}

function note(ctx: ExecuteContext, line: string): void {
  ctx.journal.push(line);
  ctx.onProgress?.(line);
}
