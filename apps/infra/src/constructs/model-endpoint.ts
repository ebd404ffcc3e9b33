import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config/schema';
import { acknowledge, acknowledgeObjectWildcards } from '../nag';
import { PREFIXES } from './storage';

/** Props of {@link ModelEndpoint}. */
export interface ModelEndpointProps {
  readonly env: EnvironmentConfig;
  readonly modelBucket: s3.IBucket;
  readonly key: kms.IKey;
}

/** `<account>.dkr.ecr.<region>.amazonaws.com/<repo>:<tag>` -> the repository ARN. */
export function ecrRepositoryArn(imageUri: string): string {
  const m = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?\/([^:]+):/.exec(imageUri);
  if (!m) throw new Error(`not an ECR image URI: ${imageUri}`);
  const partition = m[3] ? 'aws-cn' : 'aws';
  return `arn:${partition}:ecr:${m[2]}:${m[1]}:repository/${m[4]}`;
}

/**
 * The SageMaker side. Always: the execution role (`lead-scoring-sagemaker-<env>`, the role
 * `deploy-model` passes to CreateModel) with read access to model artefacts and write access to the
 * data-capture prefix. When the environment's `endpointOwner` is `cdk`: the Model, an EndpointConfig
 * with data capture to S3 and the Endpoint, plus target-tracking scaling on
 * SageMakerVariantInvocationsPerInstance.
 *
 * @example
 * const sm = new ModelEndpoint(stack, 'Model', { env, modelBucket: storage.modelBucket, key: storage.key });
 */
export class ModelEndpoint extends Construct {
  readonly role: iam.Role;
  readonly endpoint: sagemaker.CfnEndpoint | undefined;

  constructor(scope: Construct, id: string, props: ModelEndpointProps) {
    super(scope, id);
    const { env, key } = props;
    const sm = env.sagemaker;
    this.role = this.executionRole(props);
    if (sm.endpointOwner !== 'cdk' || sm.initialModelDataUrl === undefined) {
      this.endpoint = undefined;
      return;
    }

    const model = new sagemaker.CfnModel(this, 'BootstrapModel', {
      executionRoleArn: this.role.roleArn,
      primaryContainer: { image: sm.imageUri, modelDataUrl: sm.initialModelDataUrl, mode: 'SingleModel' },
    });
    model.node.addDependency(this.role);
    const config = new sagemaker.CfnEndpointConfig(this, 'EndpointConfig', {
      kmsKeyId: key.keyArn,
      productionVariants: [
        {
          variantName: sm.variantName,
          modelName: model.attrModelName,
          instanceType: sm.instanceType,
          initialInstanceCount: sm.initialInstanceCount,
          initialVariantWeight: 1,
        },
      ],
      dataCaptureConfig: {
        enableCapture: sm.dataCapturePercent > 0,
        initialSamplingPercentage: Math.max(1, sm.dataCapturePercent),
        // The same URI deploy-model writes into its endpoint configs (environments.json dataCapture.s3Uri).
        destinationS3Uri: `s3://${env.buckets.models}/${PREFIXES.dataCapture.replace(/\/$/, '')}`,
        kmsKeyId: key.keyArn,
        captureOptions: [{ captureMode: 'Input' }, { captureMode: 'Output' }],
        captureContentTypeHeader: { jsonContentTypes: ['application/json'], csvContentTypes: ['text/csv'] },
      },
    });
    this.endpoint = new sagemaker.CfnEndpoint(this, 'Endpoint', {
      endpointName: sm.endpointName,
      endpointConfigName: config.attrEndpointConfigName,
    });

    const target = new appscaling.ScalableTarget(this, 'ScalableTarget', {
      serviceNamespace: appscaling.ServiceNamespace.SAGEMAKER,
      resourceId: `endpoint/${sm.endpointName}/variant/${sm.variantName}`,
      scalableDimension: 'sagemaker:variant:DesiredInstanceCount',
      minCapacity: sm.autoscaling.minCapacity,
      maxCapacity: sm.autoscaling.maxCapacity,
    });
    target.node.addDependency(this.endpoint);
    target.scaleToTrackMetric('InvocationsPerInstance', {
      policyName: `${sm.endpointName}-invocations-per-instance`,
      predefinedMetric: appscaling.PredefinedMetric.SAGEMAKER_VARIANT_INVOCATIONS_PER_INSTANCE,
      targetValue: sm.autoscaling.targetInvocationsPerInstance,
      scaleInCooldown: Duration.seconds(sm.autoscaling.scaleInCooldownSeconds),
      scaleOutCooldown: Duration.seconds(sm.autoscaling.scaleOutCooldownSeconds),
    });
  }

  private executionRole(props: ModelEndpointProps): iam.Role {
    const { env, modelBucket, key } = props;
    const sm = env.sagemaker;
    const stack = Stack.of(this);
    const role = new iam.Role(this, 'ExecutionRole', {
      roleName: sm.executionRoleName,
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
      description: `SageMaker ${sm.endpointName}: read model artefacts, write data capture, pull the serving image`,
    });
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [modelBucket.arnForObjects(`${PREFIXES.models}*`)],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:PutObject'],
        resources: [modelBucket.arnForObjects(`${PREFIXES.dataCapture}*`)],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket', 's3:GetBucketLocation'],
        resources: [modelBucket.bucketArn],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({ actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [key.keyArn] }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
        resources: [ecrRepositoryArn(sm.imageUri)],
      }),
    );
    role.addToPolicy(new iam.PolicyStatement({ actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }));
    const endpointLogs = stack.formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: `/aws/sagemaker/Endpoints/${sm.endpointName}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
        resources: [endpointLogs],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringLike: { 'cloudwatch:namespace': ['/aws/sagemaker/Endpoints', 'AWS/SageMaker'] } },
      }),
    );
    acknowledge(
      role,
      'AwsSolutions-IAM5[Resource::*]',
      'ecr:GetAuthorizationToken and cloudwatch:PutMetricData support no resource-level permissions; PutMetricData is limited by a namespace condition.',
    );
    acknowledgeObjectWildcards(
      role,
      modelBucket,
      [PREFIXES.models, PREFIXES.dataCapture],
      'Model artefacts are versioned keys deploy-model creates later (models/<name>/<version>/model.tar.gz); capture files are new keys SageMaker writes.',
    );
    acknowledge(
      role,
      `AwsSolutions-IAM5[Resource::${String(stack.resolve(endpointLogs))}]`,
      'SageMaker creates one log stream per instance in the endpoint log group; the :* suffix names those streams.',
    );
    return role;
  }
}
