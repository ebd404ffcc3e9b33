import { CfnOutput, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config/schema';
import { LakeDelivery } from '../constructs/lake-delivery';
import { ModelEndpoint } from '../constructs/model-endpoint';
import { Monitoring } from '../constructs/monitoring';
import { ScoringApi } from '../constructs/scoring-api';
import { Storage } from '../constructs/storage';
import { ApiWebAcl } from '../constructs/web-acl';

/** Props of {@link LeadScoringStack}. */
export interface LeadScoringStackProps extends Omit<StackProps, 'env'> {
  readonly config: EnvironmentConfig;
  /**
   * Folder with the API's Lambda bundle (`index.js` exporting `handler`). The app passes
   * dist/apps/api/lambda (built by `nx run api:bundle-lambda`); tests pass a temp folder with a stub.
   */
  readonly lambdaCodePath: string;
}

/**
 * Everything one environment runs: storage, the lake stream, the SageMaker role (and endpoint when
 * CDK owns it), the API with its WAF, and monitoring. Named `LeadScoring-<env>`.
 *
 * @example
 * new LeadScoringStack(app, 'LeadScoring-staging', { config: getEnvironment('staging'), lambdaCodePath: 'dist/apps/api/lambda' });
 */
export class LeadScoringStack extends Stack {
  readonly storage: Storage;
  readonly lake: LakeDelivery;
  readonly model: ModelEndpoint;
  readonly api: ScoringApi;
  readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: LeadScoringStackProps) {
    const { config, lambdaCodePath, ...rest } = props;
    super(scope, id, {
      ...rest,
      env: { account: config.account, region: config.region },
      description: `Lead scoring (${config.name}): API Gateway + Lambda, SageMaker role/endpoint, Firehose lake, monitoring`,
      terminationProtection: config.name === 'prod',
    });
    Tags.of(this).add('project', 'lead-scoring');
    Tags.of(this).add('lead-scoring:environment', config.name);

    this.storage = new Storage(this, 'Storage', { env: config });
    this.lake = new LakeDelivery(this, 'Lake', { env: config, bucket: this.storage.lakeBucket, key: this.storage.key });
    this.model = new ModelEndpoint(this, 'Model', {
      env: config,
      modelBucket: this.storage.modelBucket,
      key: this.storage.key,
    });
    this.api = new ScoringApi(this, 'Api', {
      env: config,
      lambdaCodePath,
      firehoseStreamArn: this.lake.streamArn,
      lakeBucket: this.storage.lakeBucket,
      lakeKey: this.storage.key,
    });
    new ApiWebAcl(this, 'Waf', {
      name: `lead-scoring-${config.name}`,
      stageArn: this.api.api.deploymentStage.stageArn,
      requestsPer5MinPerIp: config.api.wafRequestsPer5MinPerIp,
    });
    this.monitoring = new Monitoring(this, 'Monitoring', {
      env: config,
      key: this.storage.key,
      targets: {
        restApiName: `lead-scoring-${config.name}`,
        stageName: config.api.stageName,
        functionName: this.api.fn.functionName,
        endpointName: config.sagemaker.endpointName,
        variantName: config.sagemaker.variantName,
        streamName: config.lake.streamName,
      },
    });

    new CfnOutput(this, 'ApiUrl', { value: `${this.api.api.url}score`, description: 'POST /score URL' });
    new CfnOutput(this, 'ApiKeyId', {
      value: this.api.apiKey.keyId,
      description: 'aws apigateway get-api-key --include-value --api-key <id>',
    });
    new CfnOutput(this, 'ModelBucketName', { value: this.storage.modelBucket.bucketName });
    new CfnOutput(this, 'LakeBucketName', { value: this.storage.lakeBucket.bucketName });
    new CfnOutput(this, 'SageMakerExecutionRoleArn', { value: this.model.role.roleArn });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.monitoring.topic.topicArn });
  }
}
