import { S3Client, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import {
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  SageMakerClient,
  UpdateEndpointCommand,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { executePromote, executeShadowDeploy, SHADOW_VARIANT } from '../src/shadow/sagemaker-shadow';
import { notFound, s3NotFound, testClients, testPlan } from './helpers/aws-fixtures';
import { copyDemoBundle } from './helpers/bundles';
import { envWithoutAws, runCli } from './helpers/run-cli';

const sagemaker = mockClient(SageMakerClient);
const s3 = mockClient(S3Client);
const plan = testPlan();
const env = plan.environment;
const running = {
  EndpointConfigName: 'running-config',
  ProductionVariants: [
    {
      VariantName: env.variantName,
      ModelName: 'production-model',
      InstanceType: 'ml.m5.large' as const,
      InitialInstanceCount: 1,
      InitialVariantWeight: 1,
    },
  ],
};

beforeEach(() => {
  sagemaker.reset();
  s3.reset();
  s3.on(HeadObjectCommand).rejects(s3NotFound());
  s3.on(PutObjectCommand).resolves({});
  sagemaker.on(DescribeModelCommand).rejects(notFound('model'));
  sagemaker.on(CreateModelCommand).resolves({});
  sagemaker.on(CreateEndpointConfigCommand).resolves({});
  sagemaker.on(UpdateEndpointCommand).resolves({});
});

/** The endpoint InService on `first`, then (after the update) on whatever config was created. */
function endpointMovesTo(first: string): void {
  let config = first;
  sagemaker.on(CreateEndpointConfigCommand).callsFake((input: { EndpointConfigName: string }) => {
    config = input.EndpointConfigName;
    return {};
  });
  sagemaker
    .on(DescribeEndpointCommand)
    .callsFake(() => ({ EndpointName: env.endpointName, EndpointStatus: 'InService', EndpointConfigName: config }));
}

describe('the SageMaker shadow variant', () => {
  it('keeps the running production variant and adds the challenger as the shadow variant, previous config tagged', async () => {
    endpointMovesTo('running-config');
    sagemaker.on(DescribeEndpointConfigCommand).rejects(notFound('config'));
    sagemaker.on(DescribeEndpointConfigCommand, { EndpointConfigName: 'running-config' }).resolves(running);

    const result = await executeShadowDeploy(plan, { clients: testClients(), pollMs: 1, journal: [] });

    const created = sagemaker.commandCalls(CreateEndpointConfigCommand)[0]!.args[0].input;
    expect(created.ProductionVariants).toEqual(running.ProductionVariants);
    expect(created.ShadowProductionVariants).toEqual([
      expect.objectContaining({ VariantName: SHADOW_VARIANT, ModelName: plan.createModel.ModelName }),
    ]);
    expect(created.Tags).toContainEqual({ Key: 'lead-scoring:previous-endpoint-config', Value: 'running-config' });
    expect(sagemaker.commandCalls(UpdateEndpointCommand)[0]!.args[0].input.EndpointConfigName).toBe(
      created.EndpointConfigName,
    );
    expect(result).toMatchObject({
      previousEndpointConfig: 'running-config',
      productionModel: 'production-model',
      shadowModel: plan.createModel.ModelName,
    });
  });

  it('promotes by giving the production variant the shadow model, keeping its instances, the old config the rollback target', async () => {
    endpointMovesTo('shadowed-config');
    const shadowed = {
      ...running,
      EndpointConfigName: 'shadowed-config',
      ShadowProductionVariants: [{ VariantName: SHADOW_VARIANT, ModelName: 'challenger-model' }],
    };
    sagemaker.on(DescribeEndpointConfigCommand).rejects(notFound('config'));
    sagemaker.on(DescribeEndpointConfigCommand, { EndpointConfigName: 'shadowed-config' }).resolves(shadowed);

    const result = await executePromote(plan, { clients: testClients(), pollMs: 1, journal: [] });

    const created = sagemaker.commandCalls(CreateEndpointConfigCommand)[0]!.args[0].input;
    expect(created.ProductionVariants).toEqual([{ ...running.ProductionVariants[0], ModelName: 'challenger-model' }]);
    expect(created.ShadowProductionVariants).toBeUndefined();
    expect(result).toMatchObject({
      previousEndpointConfig: 'shadowed-config',
      productionModel: 'challenger-model',
      shadowModel: null,
    });
  });

  it('refuses to promote an endpoint without a shadow variant', async () => {
    endpointMovesTo('running-config');
    sagemaker.on(DescribeEndpointConfigCommand).resolves(running);

    await expect(executePromote(plan, { clients: testClients(), pollMs: 1, journal: [] })).rejects.toMatchObject({
      code: 'NO_SHADOW',
    });
    expect(sagemaker.commandCalls(CreateEndpointConfigCommand)).toHaveLength(0);
  });
});

describe('deploy --shadow and promote --dry-run', () => {
  it('print the SageMaker calls, with no credentials or network', async () => {
    const [deploy, promote] = [
      await runCli(['deploy', '--shadow', '--env', 'staging', '--model', copyDemoBundle(), '--dry-run'], {
        env: envWithoutAws(),
      }),
      await runCli(['promote', '--env', 'staging', '--dry-run'], { env: envWithoutAws() }),
    ];

    expect([deploy.code, promote.code]).toEqual([0, 0]);
    const calls = (JSON.parse(deploy.stdout) as { calls: { operation: string; input: Record<string, unknown> }[] })
      .calls;
    expect(calls.map((c) => c.operation)).toEqual([
      'DescribeEndpoint',
      'DescribeEndpointConfig',
      'PutObject',
      'CreateModel',
      'CreateEndpointConfig',
      'UpdateEndpoint',
      'DescribeEndpoint',
    ]);
    expect(calls[4]!.input['ShadowProductionVariants']).toEqual([
      expect.objectContaining({ VariantName: 'Shadow', ModelName: calls[3]!.input['ModelName'] }),
    ]);
    expect((JSON.parse(promote.stdout) as { calls: { operation: string }[] }).calls.map((c) => c.operation)).toContain(
      'UpdateEndpoint',
    );
  });
});
