import {
  CreateTransformJobCommand,
  DescribeModelCommand,
  DescribeTransformJobCommand,
  SageMakerClient,
  type DescribeTransformJobCommandOutput,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { DEMO_BUNDLE_DIR, loadBundle, type Manifest } from '@lead-scoring/model-bundle';
import { runTransform } from '../src/batch/run-transform';
import { vcpusOf } from '../src/batch/transform-limits';
import { buildTransformPlan } from '../src/batch/transform-plan';
import { buildDeployPlan } from '../src/plan/deploy-plan';
import { notFound, stagingEnvironment, testClients } from './helpers/aws-fixtures';
import { runInProcess } from './helpers/in-process';

const sm = mockClient(SageMakerClient);
const env = stagingEnvironment();
const IN = 's3://lead-scoring-models-staging/open-leads/';
const OUT = 's3://lead-scoring-models-staging/rescored/';
let manifest: Manifest;

const plan = (patch: Partial<Parameters<typeof buildTransformPlan>[0]> = {}) =>
  buildTransformPlan({
    envName: 'staging',
    environment: env,
    manifest,
    input: IN,
    output: OUT,
    instances: 2,
    ...patch,
  });
const job = (
  status: DescribeTransformJobCommandOutput['TransformJobStatus'],
  extra: Partial<DescribeTransformJobCommandOutput> = {},
) =>
  ({
    TransformJobName: plan().jobName,
    TransformJobStatus: status,
    TransformOutput: { S3OutputPath: OUT },
    ...extra,
  }) as DescribeTransformJobCommandOutput;
const fast = { pollSeconds: 0.01, maxWaitSeconds: 60 };

beforeAll(async () => {
  manifest = (await loadBundle(DEMO_BUNDLE_DIR)).manifest;
});
beforeEach(() => sm.reset());

describe('batch: the Transform job', () => {
  it("runs on the model deploy made for this version, lines in and out, sized to the container's limits", () => {
    const p = plan();
    const deployed = buildDeployPlan({
      envName: 'staging',
      environment: env,
      manifest,
      artifact: { bytes: Buffer.alloc(1), sha256: 'a'.repeat(64), layout: 'builtin' },
    });

    expect(p.createTransformJob).toMatchObject({
      ModelName: deployed.createModel.ModelName,
      BatchStrategy: 'MultiRecord',
      MaxPayloadInMB: 6,
      MaxConcurrentTransforms: 2,
      TransformInput: {
        DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: IN } },
        ContentType: 'text/csv',
        SplitType: 'Line',
      },
      TransformOutput: { S3OutputPath: OUT, Accept: 'text/csv', AssembleWith: 'Line' },
      TransformResources: { InstanceType: 'ml.m5.large', InstanceCount: 2 },
    });
    expect(p.jobName).toMatch(/^lead-scoring-staging-batch-1-0-0-[0-9a-f]{8}$/);
    expect(plan().jobName).toBe(p.jobName);
    expect(plan({ output: 's3://lead-scoring-models-staging/other/' }).jobName).not.toBe(p.jobName);
  });

  it('sends our model server 20 MB requests, one per vCPU of the instance type', () => {
    const byoc = stagingEnvironment((e) => ({
      ...e,
      instanceType: 'ml.c5.2xlarge',
      image: { type: 'byoc', uri: '111122223333.dkr.ecr.eu-west-1.amazonaws.com/lead-scoring:1' },
    }));

    expect(
      buildTransformPlan({ envName: 'staging', environment: byoc, manifest, input: IN, output: OUT, instances: 1 })
        .createTransformJob,
    ).toMatchObject({ MaxPayloadInMB: 20, MaxConcurrentTransforms: 8 });
    expect([vcpusOf('ml.m5.large'), vcpusOf('ml.c5.xlarge'), vcpusOf('ml.m5.12xlarge')]).toEqual([2, 4, 48]);
  });

  it('refuses input and output that are not S3 URIs', () => {
    expect(() => plan({ input: 'leads.csv' })).toThrow(
      expect.objectContaining({ code: 'USAGE', message: expect.stringContaining('--input') }),
    );
  });

  it('creates the job, waits with the SDK waiter printing each state, and reports the output location', async () => {
    sm.on(DescribeModelCommand).resolves({ ModelName: plan().modelName });
    sm.on(DescribeTransformJobCommand)
      .rejectsOnce(notFound('transform job'))
      .resolvesOnce(job('InProgress'))
      .resolvesOnce(job('InProgress'))
      .resolves(job('Completed'));
    sm.on(CreateTransformJobCommand).resolves({ TransformJobArn: 'arn' });
    const lines: string[] = [];

    const result = await runTransform(testClients().sagemaker, plan(), { ...fast, onProgress: (l) => lines.push(l) });

    expect(result).toMatchObject({ status: 'Completed', created: true, outputPath: OUT, jobName: plan().jobName });
    expect(sm.commandCalls(CreateTransformJobCommand)[0]!.args[0].input).toEqual(plan().createTransformJob);
    expect(lines.filter((l) => /InProgress|Completed/.test(l)).map((l) => l.replace(/^\[\s*\d+s\] \S+ /, ''))).toEqual([
      'InProgress',
      'Completed',
    ]);
  });

  it("reports a failed job with SageMaker's FailureReason", async () => {
    sm.on(DescribeModelCommand).resolves({ ModelName: plan().modelName });
    sm.on(DescribeTransformJobCommand)
      .rejectsOnce(notFound('transform job'))
      .resolvesOnce(job('InProgress'))
      .resolves(job('Failed', { FailureReason: 'ClientError: 413 from the model' }));
    sm.on(CreateTransformJobCommand).resolves({});

    await expect(runTransform(testClients().sagemaker, plan(), fast)).rejects.toMatchObject({
      code: 'TRANSFORM_JOB_FAILED',
      message: expect.stringContaining('ClientError: 413 from the model'),
    });
  });

  it('refuses a model version that was never deployed, starting nothing', async () => {
    sm.on(DescribeModelCommand).rejects(notFound('model'));

    await expect(runTransform(testClients().sagemaker, plan(), fast)).rejects.toMatchObject({
      code: 'MODEL_NOT_DEPLOYED',
    });
    expect(sm.commandCalls(CreateTransformJobCommand)).toHaveLength(0);
  });

  it('waits for a job of the same name that is still running instead of starting another, and reports a completed one', async () => {
    sm.on(DescribeModelCommand).resolves({ ModelName: plan().modelName });
    sm.on(DescribeTransformJobCommand).resolvesOnce(job('InProgress')).resolves(job('Completed'));

    expect(await runTransform(testClients().sagemaker, plan(), fast)).toMatchObject({
      status: 'Completed',
      created: false,
    });
    expect(await runTransform(testClients().sagemaker, plan(), fast)).toMatchObject({
      status: 'Completed',
      created: false,
    });
    expect(sm.commandCalls(CreateTransformJobCommand)).toHaveLength(0);
  });

  it('--dry-run prints every call with its parameters and needs no credentials', async () => {
    const run = await runInProcess([
      'batch',
      '--env',
      'staging',
      '--input',
      IN,
      '--output',
      OUT,
      '--instances',
      '2',
      '--dry-run',
    ]);

    expect(run.code).toBe(0);
    const printed = JSON.parse(run.stdout) as { calls: { operation: string; input: unknown }[] };
    expect(printed.calls.map((c) => c.operation)).toEqual([
      'DescribeModel',
      'DescribeTransformJob',
      'CreateTransformJob',
      'DescribeTransformJob',
    ]);
    expect(printed.calls[2]!.input).toEqual(plan().createTransformJob);
    expect(sm.calls()).toHaveLength(0);
  });
});
