import type {
  PutScalingPolicyCommandInput,
  RegisterScalableTargetCommandInput,
} from '@aws-sdk/client-application-auto-scaling';
import type { PutObjectCommandInput } from '@aws-sdk/client-s3';
import type {
  CreateEndpointCommandInput,
  CreateEndpointConfigCommandInput,
  CreateModelCommandInput,
  Tag,
  UpdateEndpointCommandInput,
} from '@aws-sdk/client-sagemaker';
import type { Manifest } from '@lead-scoring/model-bundle';
import type { Artifact } from '../bundle/package-bundle';
import { imageUriOf, type Environment } from '../environments';
import {
  ARTIFACT_SHA_TAG,
  ENDPOINT_TAG,
  MODEL_NAME_TAG,
  MODEL_VERSION_TAG,
  artifactKey,
  resourceName,
  shortHash,
} from './names';

/**
 * Every AWS call a deploy makes, with its exact parameters, computed without any network call.
 * The executor runs these inputs as they are; `--dry-run` prints them.
 */
export interface DeployPlan {
  readonly envName: string;
  readonly environment: Environment;
  readonly model: { readonly name: string; readonly version: string; readonly bundleSha256: string };
  readonly artifact: { readonly sha256: string; readonly size: number; readonly layout: Artifact['layout'] };
  readonly artifactUri: string;
  readonly upload: PutObjectCommandInput & { Body: Uint8Array; Bucket: string; Key: string };
  readonly createModel: CreateModelCommandInput;
  /** Tags are completed at run time with the endpoint's current config (PREVIOUS_CONFIG_TAG). */
  readonly createEndpointConfig: CreateEndpointConfigCommandInput & { Tags: Tag[] };
  readonly createEndpoint: CreateEndpointCommandInput;
  readonly updateEndpoint: UpdateEndpointCommandInput;
  readonly registerScalableTarget: RegisterScalableTargetCommandInput;
  readonly putScalingPolicy: PutScalingPolicyCommandInput;
}

/** The Application Auto Scaling resource id of an endpoint variant. */
export function variantResourceId(endpointName: string, variantName: string): string {
  return `endpoint/${endpointName}/variant/${variantName}`;
}

function endpointConfigInput(
  env: Environment,
  modelName: string,
  tags: Tag[],
): Omit<CreateEndpointConfigCommandInput, 'EndpointConfigName'> & { Tags: Tag[] } {
  const capture = env.dataCapture;
  return {
    ProductionVariants: [
      {
        VariantName: env.variantName,
        ModelName: modelName,
        InstanceType: env.instanceType as never,
        InitialInstanceCount: env.instanceCount,
        InitialVariantWeight: 1,
      },
    ],
    ...(capture.enabled
      ? {
          DataCaptureConfig: {
            EnableCapture: true,
            InitialSamplingPercentage: capture.samplingPercentage,
            DestinationS3Uri: capture.s3Uri,
            CaptureOptions: [{ CaptureMode: 'Input' as const }, { CaptureMode: 'Output' as const }],
            CaptureContentTypeHeader: { CsvContentTypes: ['text/csv'], JsonContentTypes: ['application/json'] },
          },
        }
      : {}),
    Tags: tags,
  };
}

/**
 * Computes the deploy plan of a validated bundle's artifact for one environment. Names are deterministic
 * (endpoint + model name + version, the config name also carries a hash of its settings), so a re-run
 * finds what an earlier run made.
 *
 * @example const plan = buildDeployPlan({ envName: 'staging', environment, manifest, artifact });
 */
export function buildDeployPlan(opts: {
  envName: string;
  environment: Environment;
  manifest: Manifest;
  artifact: Artifact;
}): DeployPlan {
  const { environment: env, manifest, artifact } = opts;
  const key = artifactKey(env.prefix, manifest.name, manifest.version);
  const artifactUri = `s3://${env.bucket}/${key}`;
  const modelName = resourceName([env.endpointName, manifest.name, manifest.version]);
  const tags: Tag[] = [
    { Key: MODEL_NAME_TAG, Value: manifest.name },
    { Key: MODEL_VERSION_TAG, Value: manifest.version },
    { Key: ARTIFACT_SHA_TAG, Value: artifact.sha256 },
    { Key: ENDPOINT_TAG, Value: env.endpointName },
  ];
  const configBody = endpointConfigInput(env, modelName, tags);
  const configName = resourceName([
    env.endpointName,
    manifest.name,
    manifest.version,
    shortHash(JSON.stringify(configBody)),
  ]);
  const resourceId = variantResourceId(env.endpointName, env.variantName);
  const d = env.deployment;
  return {
    envName: opts.envName,
    environment: env,
    model: { name: manifest.name, version: manifest.version, bundleSha256: manifest.sha256 },
    artifact: { sha256: artifact.sha256, size: artifact.bytes.length, layout: artifact.layout },
    artifactUri,
    upload: {
      Bucket: env.bucket,
      Key: key,
      Body: artifact.bytes,
      ContentType: 'application/gzip',
      Metadata: { sha256: artifact.sha256, 'model-name': manifest.name, 'model-version': manifest.version },
    },
    createModel: {
      ModelName: modelName,
      ExecutionRoleArn: env.roleArn,
      PrimaryContainer: { Image: imageUriOf(env), ModelDataUrl: artifactUri, Mode: 'SingleModel' },
      Tags: tags,
    },
    createEndpointConfig: { EndpointConfigName: configName, ...configBody },
    createEndpoint: {
      EndpointName: env.endpointName,
      EndpointConfigName: configName,
      Tags: [{ Key: 'lead-scoring:environment', Value: opts.envName }],
    },
    updateEndpoint: {
      EndpointName: env.endpointName,
      EndpointConfigName: configName,
      RetainAllVariantProperties: false,
      DeploymentConfig: {
        BlueGreenUpdatePolicy: {
          TrafficRoutingConfiguration: {
            Type: 'CANARY',
            CanarySize: { Type: 'CAPACITY_PERCENT', Value: d.canaryPercent },
            WaitIntervalInSeconds: d.canaryWaitSeconds,
          },
          TerminationWaitInSeconds: d.terminationWaitSeconds,
          MaximumExecutionTimeoutInSeconds: d.maximumExecutionTimeoutSeconds,
        },
        AutoRollbackConfiguration: { Alarms: d.rollbackAlarms.map((AlarmName) => ({ AlarmName })) },
      },
    },
    registerScalableTarget: {
      ServiceNamespace: 'sagemaker',
      ResourceId: resourceId,
      ScalableDimension: 'sagemaker:variant:DesiredInstanceCount',
      MinCapacity: env.autoscaling.minCapacity,
      MaxCapacity: env.autoscaling.maxCapacity,
    },
    putScalingPolicy: {
      PolicyName: `${env.endpointName}-invocations-per-instance`,
      ServiceNamespace: 'sagemaker',
      ResourceId: resourceId,
      ScalableDimension: 'sagemaker:variant:DesiredInstanceCount',
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: {
        TargetValue: env.autoscaling.targetInvocationsPerInstance,
        PredefinedMetricSpecification: { PredefinedMetricType: 'SageMakerVariantInvocationsPerInstance' },
        ScaleInCooldown: env.autoscaling.scaleInCooldownSeconds,
        ScaleOutCooldown: env.autoscaling.scaleOutCooldownSeconds,
      },
    },
  };
}
