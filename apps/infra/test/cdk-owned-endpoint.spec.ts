import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CDK_CONTEXT } from '../src/app';
import { ENVIRONMENTS, parseEnvironments } from '../src/config/environments';
import { ModelEndpoint, ecrRepositoryArn } from '../src/constructs/model-endpoint';
import { Storage } from '../src/constructs/storage';

// Only the storage and SageMaker constructs, in a bare stack: a sandbox environment where CDK, not
// deploy-model, owns the endpoint. Much cheaper to synthesize than the whole application stack.
const staging = ENVIRONMENTS[0] as { sagemaker: Record<string, unknown> } & Record<string, unknown>;
const [sandbox] = parseEnvironments([
  {
    ...staging,
    name: 'sandbox',
    sagemaker: {
      ...staging.sagemaker,
      endpointName: 'lead-scoring-sandbox',
      executionRoleName: 'lead-scoring-sagemaker-sandbox',
      endpointOwner: 'cdk',
      initialModelDataUrl: 's3://lead-scoring-models-sandbox/models/demo/1.0.0/model.tar.gz',
    },
    buckets: {
      models: 'lead-scoring-models-sandbox',
      lake: 'lead-scoring-lake-sandbox',
      accessLogs: 'lead-scoring-access-logs-sandbox',
    },
  },
]);

let stack: Stack;
let t: Template;

beforeAll(() => {
  const env = sandbox!;
  stack = new Stack(new App({ context: CDK_CONTEXT }), 'Sandbox', {
    env: { account: env.account, region: env.region },
  });
  const storage = new Storage(stack, 'Storage', { env });
  new ModelEndpoint(stack, 'Model', { env, modelBucket: storage.modelBucket, key: storage.key });
  t = Template.fromStack(stack);
}, 120_000);

describe('SageMaker when CDK owns the endpoint', () => {
  it('creates the model, an endpoint config capturing input and output to S3 with KMS, and the named endpoint', () => {
    t.hasResourceProperties('AWS::SageMaker::Model', {
      PrimaryContainer: {
        Image: Match.stringLikeRegexp('sagemaker-xgboost:1.7-1$'),
        ModelDataUrl: 's3://lead-scoring-models-sandbox/models/demo/1.0.0/model.tar.gz',
        Mode: 'SingleModel',
      },
    });
    t.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      KmsKeyId: Match.anyValue(),
      ProductionVariants: [
        Match.objectLike({ VariantName: 'AllTraffic', InstanceType: 'ml.m5.large', InitialInstanceCount: 1 }),
      ],
      DataCaptureConfig: Match.objectLike({
        EnableCapture: true,
        InitialSamplingPercentage: 20,
        DestinationS3Uri: 's3://lead-scoring-models-sandbox/data-capture',
        KmsKeyId: Match.anyValue(),
        CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }],
      }),
    });
    t.hasResourceProperties('AWS::SageMaker::Endpoint', { EndpointName: 'lead-scoring-sandbox' });
  });

  it('scales the variant between 1 and 2 instances tracking 300 invocations per instance', () => {
    t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      ServiceNamespace: 'sagemaker',
      ResourceId: 'endpoint/lead-scoring-sandbox/variant/AllTraffic',
      ScalableDimension: 'sagemaker:variant:DesiredInstanceCount',
      MinCapacity: 1,
      MaxCapacity: 2,
    });
    t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: {
        PredefinedMetricSpecification: { PredefinedMetricType: 'SageMakerVariantInvocationsPerInstance' },
        TargetValue: 300,
        ScaleInCooldown: 300,
        ScaleOutCooldown: 60,
      },
    });
  });

  it('lets the execution role pull only its serving image repository', () => {
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
            Resource: 'arn:aws:ecr:eu-west-1:141502667606:repository/sagemaker-xgboost',
          }),
        ]),
      },
    });
  });

  it('passes cdk-nag AwsSolutions with the endpoint resources present', () => {
    expect(new AwsSolutionsChecks().validateScope(stack).violations.map((v) => v.ruleName)).toEqual([]);
  });
});

describe('ecrRepositoryArn', () => {
  it('turns an image URI into its repository ARN', () => {
    expect(ecrRepositoryArn('123456789012.dkr.ecr.us-east-1.amazonaws.com/team/model-server:1.2')).toBe(
      'arn:aws:ecr:us-east-1:123456789012:repository/team/model-server',
    );
  });

  it('rejects a URI that is not an ECR image', () => {
    expect(() => ecrRepositoryArn('docker.io/library/node:20')).toThrow('not an ECR image URI');
  });
});
