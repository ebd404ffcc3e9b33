import {
  DeleteEndpointConfigCommand,
  DeleteModelCommand,
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  ListEndpointConfigsCommand,
  ListModelsCommand,
  ListTagsCommand,
  SageMakerClient,
  UpdateEndpointCommand,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { endpointStatus, rollbackEndpoint } from '../src/aws/endpoint-ops';
import { pruneEndpoint } from '../src/aws/prune';
import { ENDPOINT_TAG, MODEL_VERSION_TAG, PREVIOUS_CONFIG_TAG } from '../src/plan/names';
import { notFound, stagingEnvironment, testClients } from './helpers/aws-fixtures';

const sm = mockClient(SageMakerClient);
const env = stagingEnvironment();
const ep = env.endpointName;
const arn = (name: string): string => `arn:aws:sagemaker:eu-west-1:111122223333:endpoint-config/${name}`;

/** Configs c1 (oldest) .. c4 (newest, in service); each cN uses model mN and points back to c(N-1). */
function fourConfigs(): void {
  sm.on(DescribeEndpointConfigCommand).callsFake((input: { EndpointConfigName: string }) => {
    const n = input.EndpointConfigName.slice(-1);
    return {
      EndpointConfigName: input.EndpointConfigName,
      EndpointConfigArn: arn(input.EndpointConfigName),
      ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: `${ep}-m${n}` }],
    };
  });
  sm.on(ListTagsCommand).callsFake((input: { ResourceArn: string }) => {
    const n = Number(input.ResourceArn.slice(-1));
    const tags = [
      { Key: ENDPOINT_TAG, Value: ep },
      { Key: MODEL_VERSION_TAG, Value: `${n}.0.0` },
    ];
    return {
      Tags:
        input.ResourceArn.includes('endpoint-config') && n > 1
          ? [...tags, { Key: PREVIOUS_CONFIG_TAG, Value: `${ep}-c${n - 1}` }]
          : tags,
    };
  });
  sm.on(ListEndpointConfigsCommand).resolves({
    EndpointConfigs: [4, 3, 2, 1].map((n) => ({
      EndpointConfigName: `${ep}-c${n}`,
      EndpointConfigArn: arn(`${ep}-c${n}`),
      CreationTime: new Date(n * 1000),
    })),
  });
  sm.on(ListModelsCommand).resolves({
    Models: [4, 3, 2, 1].map((n) => ({
      ModelName: `${ep}-m${n}`,
      ModelArn: `arn:aws:sagemaker:eu-west-1:111122223333:model/${ep}-m${n}`,
      CreationTime: new Date(n * 1000),
    })),
  });
}

describe('status, rollback and prune', () => {
  beforeEach(() => sm.reset());

  it('status shows the config, model version and rollback target', async () => {
    fourConfigs();
    sm.on(DescribeEndpointCommand).resolves({
      EndpointName: ep,
      EndpointStatus: 'InService',
      EndpointConfigName: `${ep}-c4`,
      ProductionVariants: [{ VariantName: 'AllTraffic', CurrentInstanceCount: 1, DesiredInstanceCount: 1 }],
    });

    expect(await endpointStatus(testClients().sagemaker, ep)).toMatchObject({
      status: 'InService',
      endpointConfigName: `${ep}-c4`,
      modelNames: [`${ep}-m4`],
      modelVersion: '4.0.0',
      previousEndpointConfig: `${ep}-c3`,
      variants: [{ name: 'AllTraffic', currentInstances: 1, desiredInstances: 1 }],
    });
  });

  it('status says clearly when the endpoint does not exist', async () => {
    sm.on(DescribeEndpointCommand).rejects(notFound('endpoint'));
    await expect(endpointStatus(testClients().sagemaker, ep)).rejects.toMatchObject({ code: 'ENDPOINT_NOT_FOUND' });
  });

  it('rollback moves the endpoint to the previous config and waits for InService', async () => {
    fourConfigs();
    sm.on(UpdateEndpointCommand).resolves({});
    sm.on(DescribeEndpointCommand)
      .resolvesOnce({ EndpointName: ep, EndpointStatus: 'InService', EndpointConfigName: `${ep}-c4` })
      .resolvesOnce({
        EndpointName: ep,
        EndpointStatus: 'Updating',
        EndpointConfigName: `${ep}-c4`,
        PendingDeploymentSummary: { EndpointConfigName: `${ep}-c3`, StartTime: new Date() },
      })
      .resolves({ EndpointName: ep, EndpointStatus: 'InService', EndpointConfigName: `${ep}-c3` });

    expect(await rollbackEndpoint(testClients().sagemaker, env, { pollMs: 1 })).toEqual({
      from: `${ep}-c4`,
      to: `${ep}-c3`,
    });
    expect(sm.commandCalls(UpdateEndpointCommand)[0]!.args[0].input).toMatchObject({
      EndpointConfigName: `${ep}-c3`,
      DeploymentConfig: { BlueGreenUpdatePolicy: { TrafficRoutingConfiguration: { Type: 'ALL_AT_ONCE' } } },
    });
  });

  it('rollback refuses while the endpoint is updating', async () => {
    sm.on(DescribeEndpointCommand).resolves({
      EndpointName: ep,
      EndpointStatus: 'Updating',
      EndpointConfigName: `${ep}-c4`,
    });
    await expect(rollbackEndpoint(testClients().sagemaker, env, { pollMs: 1 })).rejects.toMatchObject({
      code: 'ENDPOINT_BUSY',
    });
    expect(sm.commandCalls(UpdateEndpointCommand)).toHaveLength(0);
  });

  it('rollback says there is nothing to go back to on a first deployment', async () => {
    fourConfigs();
    sm.on(DescribeEndpointCommand).resolves({
      EndpointName: ep,
      EndpointStatus: 'InService',
      EndpointConfigName: `${ep}-c1`,
    });
    await expect(rollbackEndpoint(testClients().sagemaker, env, { pollMs: 1 })).rejects.toMatchObject({
      code: 'NO_PREVIOUS_CONFIG',
    });
  });

  it('prune keeps the newest N plus the config in service and its rollback target, and deletes unused models', async () => {
    fourConfigs();
    sm.on(DescribeEndpointCommand).resolves({
      EndpointName: ep,
      EndpointStatus: 'InService',
      EndpointConfigName: `${ep}-c2`,
    });
    sm.on(DeleteEndpointConfigCommand).resolves({});
    sm.on(DeleteModelCommand).resolves({});

    const result = await pruneEndpoint(testClients().sagemaker, env, { keep: 1, dryRun: false });

    expect([...result.keptConfigs].sort()).toEqual([`${ep}-c1`, `${ep}-c2`, `${ep}-c4`]);
    expect(result.deletedConfigs).toEqual([`${ep}-c3`]);
    expect(result.deletedModels).toEqual([`${ep}-m3`]);
    expect(sm.commandCalls(DeleteEndpointConfigCommand).map((c) => c.args[0].input.EndpointConfigName)).toEqual([
      `${ep}-c3`,
    ]);
    expect(sm.commandCalls(DeleteModelCommand).map((c) => c.args[0].input.ModelName)).toEqual([`${ep}-m3`]);
  });

  it('prune --dry-run deletes nothing', async () => {
    fourConfigs();
    sm.on(DescribeEndpointCommand).resolves({
      EndpointName: ep,
      EndpointStatus: 'InService',
      EndpointConfigName: `${ep}-c4`,
    });

    const result = await pruneEndpoint(testClients().sagemaker, env, { keep: 2, dryRun: true });

    expect(result.deletedConfigs).toEqual([`${ep}-c2`, `${ep}-c1`]);
    expect(sm.commandCalls(DeleteEndpointConfigCommand)).toHaveLength(0);
  });
});
