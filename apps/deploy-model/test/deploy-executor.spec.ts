import {
  PutScalingPolicyCommand,
  RegisterScalableTargetCommand,
  ApplicationAutoScalingClient,
} from '@aws-sdk/client-application-auto-scaling';
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  SageMakerClient,
  UpdateEndpointCommand,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { executeDeploy } from '../src/aws/deploy-executor';
import { PREVIOUS_CONFIG_TAG } from '../src/plan/names';
import { notFound, s3NotFound, stagingEnvironment, testClients, testPlan } from './helpers/aws-fixtures';

const sm = mockClient(SageMakerClient);
const s3 = mockClient(S3Client);
const aas = mockClient(ApplicationAutoScalingClient);

const plan = testPlan();
const target = plan.createEndpointConfig.EndpointConfigName!;
const endpoint = plan.environment.endpointName;

function nothingExistsYet(): void {
  s3.on(HeadObjectCommand).rejects(s3NotFound());
  s3.on(PutObjectCommand).resolves({});
  sm.on(DescribeModelCommand).rejects(notFound('model'));
  sm.on(DescribeEndpointConfigCommand).rejects(notFound('endpoint config'));
  sm.on(CreateModelCommand).resolves({});
  sm.on(CreateEndpointConfigCommand).resolves({});
  sm.on(CreateEndpointCommand).resolves({});
  sm.on(UpdateEndpointCommand).resolves({});
  aas.on(RegisterScalableTargetCommand).resolves({});
  aas.on(PutScalingPolicyCommand).resolves({});
}

const run = (journal: string[] = [], signal?: AbortSignal) =>
  executeDeploy(plan, { clients: testClients(), pollMs: 1, journal, signal });

describe('deploy to SageMaker', () => {
  beforeEach(() => {
    sm.reset();
    s3.reset();
    aas.reset();
  });

  it('creates the model, config and endpoint when none exists, waits for InService, then sets autoscaling', async () => {
    nothingExistsYet();
    sm.on(DescribeEndpointCommand)
      .rejectsOnce(notFound('endpoint'))
      .resolvesOnce({ EndpointName: endpoint, EndpointStatus: 'Creating', EndpointConfigName: target })
      .resolves({ EndpointName: endpoint, EndpointStatus: 'InService', EndpointConfigName: target });

    const result = await run();

    expect(result.action).toBe('created');
    expect(s3.commandCalls(PutObjectCommand)[0]!.args[0].input).toMatchObject({
      Bucket: 'lead-scoring-models-staging',
      Key: 'models/lead-test/2-0-0/model.tar.gz',
      Metadata: { sha256: plan.artifact.sha256 },
    });
    expect(sm.commandCalls(CreateModelCommand)[0]!.args[0].input).toMatchObject({
      PrimaryContainer: {
        Image: '141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-xgboost:1.7-1',
        ModelDataUrl: `s3://lead-scoring-models-staging/models/lead-test/2-0-0/model.tar.gz`,
      },
    });
    const config = sm.commandCalls(CreateEndpointConfigCommand)[0]!.args[0].input;
    expect(config.ProductionVariants).toEqual([
      expect.objectContaining({ InstanceType: 'ml.m5.large', InitialInstanceCount: 1, VariantName: 'AllTraffic' }),
    ]);
    expect(config.DataCaptureConfig).toMatchObject({
      EnableCapture: true,
      DestinationS3Uri: 's3://lead-scoring-models-staging/data-capture',
    });
    expect(config.Tags?.some((t) => t.Key === PREVIOUS_CONFIG_TAG)).toBe(false);
    expect(sm.commandCalls(CreateEndpointCommand)[0]!.args[0].input).toMatchObject({
      EndpointName: endpoint,
      EndpointConfigName: target,
    });
    expect(sm.commandCalls(UpdateEndpointCommand)).toHaveLength(0);
    expect(aas.commandCalls(RegisterScalableTargetCommand)[0]!.args[0].input).toEqual({
      ServiceNamespace: 'sagemaker',
      ResourceId: `endpoint/${endpoint}/variant/AllTraffic`,
      ScalableDimension: 'sagemaker:variant:DesiredInstanceCount',
      MinCapacity: 1,
      MaxCapacity: 2,
    });
    expect(
      aas.commandCalls(PutScalingPolicyCommand)[0]!.args[0].input.TargetTrackingScalingPolicyConfiguration,
    ).toMatchObject({
      TargetValue: 300,
      PredefinedMetricSpecification: { PredefinedMetricType: 'SageMakerVariantInvocationsPerInstance' },
    });
  });

  it('updates an existing endpoint blue/green with a canary and alarm rollback, tagging the previous config', async () => {
    nothingExistsYet();
    sm.on(DescribeEndpointCommand)
      .resolvesOnce({ EndpointName: endpoint, EndpointStatus: 'InService', EndpointConfigName: 'old-config' })
      .resolvesOnce({
        EndpointName: endpoint,
        EndpointStatus: 'Updating',
        EndpointConfigName: 'old-config',
        PendingDeploymentSummary: { EndpointConfigName: target, StartTime: new Date() },
      })
      .resolves({ EndpointName: endpoint, EndpointStatus: 'InService', EndpointConfigName: target });

    const result = await run();

    expect(result).toMatchObject({ action: 'updated', previousEndpointConfig: 'old-config' });
    expect(sm.commandCalls(CreateEndpointConfigCommand)[0]!.args[0].input.Tags).toContainEqual({
      Key: PREVIOUS_CONFIG_TAG,
      Value: 'old-config',
    });
    expect(sm.commandCalls(CreateEndpointCommand)).toHaveLength(0);
    expect(sm.commandCalls(UpdateEndpointCommand)[0]!.args[0].input).toEqual({
      EndpointName: endpoint,
      EndpointConfigName: target,
      RetainAllVariantProperties: false,
      DeploymentConfig: {
        BlueGreenUpdatePolicy: {
          TrafficRoutingConfiguration: {
            Type: 'CANARY',
            CanarySize: { Type: 'CAPACITY_PERCENT', Value: 10 },
            WaitIntervalInSeconds: 300,
          },
          TerminationWaitInSeconds: 300,
          MaximumExecutionTimeoutInSeconds: 1800,
        },
        AutoRollbackConfiguration: {
          Alarms: [
            { AlarmName: 'lead-scoring-staging-invocation-5xx' },
            { AlarmName: 'lead-scoring-staging-model-latency' },
          ],
        },
      },
    });
    expect(aas.commandCalls(PutScalingPolicyCommand)).toHaveLength(1);
  });

  it('reports a deployment that SageMaker rolled back on an alarm, with its FailureReason, and sets no autoscaling', async () => {
    nothingExistsYet();
    sm.on(DescribeEndpointCommand)
      .resolvesOnce({ EndpointName: endpoint, EndpointStatus: 'InService', EndpointConfigName: 'old-config' })
      .resolvesOnce({
        EndpointName: endpoint,
        EndpointStatus: 'Updating',
        EndpointConfigName: 'old-config',
        PendingDeploymentSummary: { EndpointConfigName: target, StartTime: new Date() },
      })
      .resolvesOnce({ EndpointName: endpoint, EndpointStatus: 'RollingBack', EndpointConfigName: 'old-config' })
      .resolves({
        EndpointName: endpoint,
        EndpointStatus: 'InService',
        EndpointConfigName: 'old-config',
        FailureReason: 'Alarm lead-scoring-staging-invocation-5xx went into ALARM',
      });
    const journal: string[] = [];

    await expect(run(journal)).rejects.toMatchObject({
      code: 'DEPLOYMENT_ROLLED_BACK',
      message: expect.stringMatching(/invocation-5xx went into ALARM/),
    });

    expect(journal.join('\n')).toMatch(/created endpoint config[\s\S]*updating endpoint/);
    expect(aas.commandCalls(RegisterScalableTargetCommand)).toHaveLength(0);
  });

  it('reports an endpoint that ends Failed with its FailureReason', async () => {
    nothingExistsYet();
    sm.on(DescribeEndpointCommand).rejectsOnce(notFound('endpoint')).resolves({
      EndpointName: endpoint,
      EndpointStatus: 'Failed',
      FailureReason: 'The primary container did not pass the ping health check',
    });

    await expect(run()).rejects.toMatchObject({
      code: 'ENDPOINT_FAILED',
      message: expect.stringMatching(/ping health check/),
    });
  });

  it('skips every step already done when re-run after success (idempotent)', async () => {
    nothingExistsYet();
    s3.on(HeadObjectCommand).resolves({ Metadata: { sha256: plan.artifact.sha256 } });
    sm.on(DescribeModelCommand).resolves({ ModelName: plan.createModel.ModelName });
    sm.on(DescribeEndpointConfigCommand).resolves({ EndpointConfigName: target });
    sm.on(DescribeEndpointCommand).resolves({
      EndpointName: endpoint,
      EndpointStatus: 'InService',
      EndpointConfigName: target,
    });

    const result = await run();

    expect(result.action).toBe('unchanged');
    expect(sm.commandCalls(CreateModelCommand)).toHaveLength(0);
    expect(sm.commandCalls(CreateEndpointConfigCommand)).toHaveLength(0);
    expect(sm.commandCalls(CreateEndpointCommand)).toHaveLength(0);
    expect(sm.commandCalls(UpdateEndpointCommand)).toHaveLength(0);
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
    expect(aas.commandCalls(PutScalingPolicyCommand)).toHaveLength(1);
  });

  it('resumes waiting, without a second UpdateEndpoint, when re-run while its update is still going', async () => {
    nothingExistsYet();
    s3.on(HeadObjectCommand).resolves({ Metadata: { sha256: plan.artifact.sha256 } });
    sm.on(DescribeModelCommand).resolves({});
    sm.on(DescribeEndpointConfigCommand).resolves({});
    sm.on(DescribeEndpointCommand)
      .resolvesOnce({
        EndpointName: endpoint,
        EndpointStatus: 'Updating',
        EndpointConfigName: 'old-config',
        PendingDeploymentSummary: { EndpointConfigName: target, StartTime: new Date() },
      })
      .resolves({ EndpointName: endpoint, EndpointStatus: 'InService', EndpointConfigName: target });

    expect((await run()).action).toBe('resumed');
    expect(sm.commandCalls(UpdateEndpointCommand)).toHaveLength(0);
  });

  it('refuses to start, before uploading anything, while the endpoint is updating to another config', async () => {
    nothingExistsYet();
    sm.on(DescribeEndpointCommand).resolves({
      EndpointName: endpoint,
      EndpointStatus: 'Updating',
      EndpointConfigName: 'old',
      PendingDeploymentSummary: { EndpointConfigName: 'someone-else', StartTime: new Date() },
    });

    await expect(run()).rejects.toMatchObject({
      code: 'ENDPOINT_BUSY',
      message: expect.stringMatching(/Updating \(to someone-else\)/),
    });
    expect(s3.commandCalls(HeadObjectCommand)).toHaveLength(0);
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  it('says access was denied, naming the call, and journals what was done before', async () => {
    nothingExistsYet();
    sm.on(DescribeEndpointCommand).rejects(notFound('endpoint'));
    sm.on(CreateModelCommand).rejects(
      Object.assign(new Error('User: arn:aws:iam::1:user/ci is not authorized to perform: sagemaker:CreateModel'), {
        name: 'AccessDeniedException',
      }),
    );
    const journal: string[] = [];

    await expect(run(journal)).rejects.toMatchObject({
      code: 'AWS_ACCESS_DENIED',
      message: expect.stringMatching(/^CreateModel: access denied .*sagemaker:CreateModel/),
    });
    expect(journal).toEqual([expect.stringMatching(/^uploaded s3:\/\//)]);
  });

  it('says credentials are missing when the SDK finds none', async () => {
    sm.on(DescribeEndpointCommand).rejects(
      Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }),
    );

    await expect(run()).rejects.toMatchObject({
      code: 'AWS_CREDENTIALS_MISSING',
      hint: expect.stringMatching(/AWS_PROFILE/),
    });
  });

  it('refuses to overwrite an uploaded version with different content', async () => {
    nothingExistsYet();
    sm.on(DescribeEndpointCommand).rejects(notFound('endpoint'));
    s3.on(HeadObjectCommand).resolves({ Metadata: { sha256: 'f'.repeat(64) } });

    await expect(run()).rejects.toMatchObject({
      code: 'ARTIFACT_CONFLICT',
      hint: expect.stringMatching(/bump the manifest version/),
    });
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  it('times out with a message saying the update goes on', async () => {
    nothingExistsYet();
    const short = testPlan(
      stagingEnvironment((e) => ({ ...e, deployment: { ...e.deployment, waitTimeoutSeconds: 1 } })),
    );
    sm.on(DescribeEndpointCommand)
      .rejectsOnce(notFound('endpoint'))
      .resolves({ EndpointName: endpoint, EndpointStatus: 'Creating', EndpointConfigName: target });

    await expect(executeDeploy(short, { clients: testClients(), pollMs: 50, journal: [] })).rejects.toMatchObject({
      code: 'WAIT_TIMEOUT',
      hint: expect.stringMatching(/re-run/),
    });
  });

  it('stops waiting on Ctrl-C (abort) with INTERRUPTED', async () => {
    nothingExistsYet();
    const controller = new AbortController();
    sm.on(DescribeEndpointCommand)
      .rejectsOnce(notFound('endpoint'))
      .callsFake(() => {
        controller.abort();
        return { EndpointName: endpoint, EndpointStatus: 'Creating', EndpointConfigName: target };
      });

    await expect(
      executeDeploy(plan, { clients: testClients(), pollMs: 60_000, journal: [], signal: controller.signal }),
    ).rejects.toMatchObject({ code: 'INTERRUPTED' });
  });
});
