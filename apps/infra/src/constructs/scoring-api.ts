import { Duration, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config/schema';
import { acknowledge, acknowledgeObjectWildcards } from '../nag';
import { GATEWAY_ERRORS, SCORE_REQUEST_SCHEMA, gatewayErrorTemplate } from '../request-model';
import { PREFIXES } from './storage';

/** Props of {@link ScoringApi}. */
export interface ScoringApiProps {
  readonly env: EnvironmentConfig;
  /** Folder holding the API's Lambda bundle (`index.js` exporting `handler`), e.g. dist/apps/api/lambda. */
  readonly lambdaCodePath: string;
  /** ARN of the Firehose stream the function may PutRecordBatch to. */
  readonly firehoseStreamArn: string;
  /** The lake bucket and its key: the function may put objects under its fallback prefix (`_failed/`) only. */
  readonly lakeBucket: s3.IBucket;
  readonly lakeKey: kms.IKey;
}

// One JSON object per request; numbers are left quoted because $context values are substituted as text.
const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  extendedRequestId: '$context.extendedRequestId',
  ip: '$context.identity.sourceIp',
  apiKeyId: '$context.identity.apiKeyId',
  requestTime: '$context.requestTimeEpoch',
  method: '$context.httpMethod',
  path: '$context.resourcePath',
  status: '$context.status',
  responseLength: '$context.responseLength',
  latencyMs: '$context.responseLatency',
  integrationLatencyMs: '$context.integration.latency',
  integrationStatus: '$context.integration.status',
  wafStatus: '$context.waf.status',
  error: '$context.error.message',
  xrayTraceId: '$context.xrayTraceId',
});

/**
 * The public edge: a REST API with `POST /score` behind an API key and a usage plan, request
 * validation, JSON access logs and X-Ray; and the Node.js 20 arm64 Lambda it invokes through the
 * `live` alias (provisioned concurrency sits on that alias when configured).
 *
 * @example
 * const api = new ScoringApi(stack, 'Api', { env, lambdaCodePath: 'dist/apps/api/lambda', firehoseStreamArn, lakeBucket, lakeKey });
 */
export class ScoringApi extends Construct {
  readonly api: apigw.RestApi;
  readonly fn: lambda.Function;
  readonly alias: lambda.Alias;
  readonly apiKey: apigw.IApiKey;

  constructor(scope: Construct, id: string, props: ScoringApiProps) {
    super(scope, id);
    const { env } = props;
    const prefix = `lead-scoring-${env.name}`;

    this.fn = this.createFunction(props);
    this.alias = new lambda.Alias(this, 'Live', {
      aliasName: 'live',
      version: this.fn.currentVersion,
      ...(env.lambda.provisionedConcurrency > 0
        ? { provisionedConcurrentExecutions: env.lambda.provisionedConcurrency }
        : {}),
    });

    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      logGroupName: `/aws/apigateway/${prefix}/access`,
      retention: env.api.accessLogRetentionDays as logs.RetentionDays,
    });
    this.api = new apigw.RestApi(this, 'RestApi', {
      restApiName: prefix,
      description: `Lead scoring API (${env.name})`,
      endpointTypes: [apigw.EndpointType.REGIONAL],
      apiKeySourceType: apigw.ApiKeySourceType.HEADER,
      // Execution logging (ERROR level) needs the account-wide API Gateway CloudWatch role.
      cloudWatchRole: true,
      deployOptions: {
        stageName: env.api.stageName,
        // Stage-wide ceiling, equal to the usage plan's per-key limits below.
        throttlingRateLimit: env.api.rateLimit,
        throttlingBurstLimit: env.api.burstLimit,
        tracingEnabled: true,
        metricsEnabled: true,
        loggingLevel: apigw.MethodLoggingLevel.ERROR,
        // Full request/response logging would copy lead features into CloudWatch Logs.
        dataTraceEnabled: false,
        accessLogDestination: new apigw.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigw.AccessLogFormat.custom(ACCESS_LOG_FORMAT),
      },
    });

    const model = this.api.addModel('ScoreRequestModel', {
      contentType: 'application/json',
      modelName: 'ScoreRequest',
      schema: SCORE_REQUEST_SCHEMA,
    });
    const validator = this.api.addRequestValidator('BodyValidator', {
      requestValidatorName: 'score-body',
      validateRequestBody: true,
      // No parameters are declared, so this checks nothing extra; cdk-nag (APIG2) wants both on.
      validateRequestParameters: true,
    });
    this.api.root
      .addResource('score')
      .addMethod('POST', new apigw.LambdaIntegration(this.alias, { allowTestInvoke: false }), {
        apiKeyRequired: true,
        requestValidator: validator,
        requestModels: { 'application/json': model },
        operationName: 'scoreLeads',
      });

    for (const e of GATEWAY_ERRORS) {
      this.api.addGatewayResponse(`Gw${e.type}`, {
        type: apigw.ResponseType.of(e.type),
        ...(e.status !== undefined ? { statusCode: e.status } : {}),
        templates: { 'application/json': gatewayErrorTemplate(e.code) },
      });
    }

    const plan = this.api.addUsagePlan('UsagePlan', {
      name: prefix,
      description: 'Per-key throttling sized for the 300 req/s SLO with bursts',
      throttle: { rateLimit: env.api.rateLimit, burstLimit: env.api.burstLimit },
      apiStages: [{ api: this.api, stage: this.api.deploymentStage }],
    });
    this.apiKey = this.api.addApiKey('DefaultKey', {
      apiKeyName: `${prefix}-default`,
      description: 'Key for the deployment smoke test and the first client; add one key per client',
    });
    plan.addApiKey(this.apiKey);

    this.acknowledgeFindings();
  }

  private createFunction(props: ScoringApiProps): lambda.Function {
    const { env } = props;
    const name = `lead-scoring-${env.name}-api`;
    const stack = Stack.of(this);
    const logGroup = new logs.LogGroup(this, 'FunctionLogs', {
      logGroupName: `/aws/lambda/${name}`,
      retention: env.lambda.logRetentionDays as logs.RetentionDays,
    });
    const role = new iam.Role(this, 'FunctionRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${name}: its own log group, its SageMaker endpoint, its Firehose stream, the lake's fallback prefix; nothing else`,
    });
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['sagemaker:InvokeEndpoint'],
        resources: [
          stack.formatArn({
            service: 'sagemaker',
            resource: 'endpoint',
            resourceName: env.sagemaker.endpointName.toLowerCase(),
          }),
        ],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({ actions: ['firehose:PutRecordBatch'], resources: [props.firehoseStreamArn] }),
    );
    // The lake fallback (records Firehose refuses); putting into the SSE-KMS bucket needs the key's data keys, through S3 only.
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:PutObject'],
        resources: [props.lakeBucket.arnForObjects(`${PREFIXES.lakeFallback}*`)],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['kms:GenerateDataKey'],
        resources: [props.lakeKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${env.region}.amazonaws.com` } },
      }),
    );
    const shadow = env.lambda.shadowModelS3Uri;
    if (shadow) {
      // The shadow model's artefact, one object of the models bucket (same KMS key as the lake's), read at cold start.
      const key = shadow.slice(`s3://${env.buckets.models}/`.length);
      role.addToPolicy(
        new iam.PolicyStatement({
          actions: ['s3:GetObject'],
          resources: [
            stack.formatArn({
              service: 's3',
              region: '',
              account: '',
              resource: env.buckets.models,
              resourceName: key,
            }),
          ],
        }),
      );
      role.addToPolicy(
        new iam.PolicyStatement({
          actions: ['kms:Decrypt'],
          resources: [props.lakeKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `s3.${env.region}.amazonaws.com` } },
        }),
      );
    }
    acknowledgeObjectWildcards(
      role,
      props.lakeBucket,
      [PREFIXES.lakeFallback],
      'Each invocation that falls back writes a new object (date, hour and a random id in its key) under this one prefix; the keys are not known in advance.',
    );

    return new lambda.Function(this, 'Function', {
      functionName: name,
      description: 'POST /score: validates, scores (SageMaker or in-process), writes the lake',
      runtime: lambda.Runtime.NODEJS_20_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(props.lambdaCodePath),
      memorySize: env.lambda.memoryMb,
      timeout: Duration.seconds(env.lambda.timeoutSeconds),
      reservedConcurrentExecutions: env.lambda.reservedConcurrency,
      tracing: lambda.Tracing.ACTIVE,
      logGroup,
      role,
      environment: {
        SCORER: env.lambda.scorer,
        SCORER_FALLBACK: env.lambda.scorerFallback,
        SAGEMAKER_ENDPOINT_NAME: env.sagemaker.endpointName,
        FIREHOSE_STREAM_NAME: env.lake.streamName,
        LAKE_FALLBACK_S3_URI: `s3://${env.buckets.lake}/${PREFIXES.lakeFallback}`,
        POWERTOOLS_SERVICE_NAME: env.lambda.serviceName,
        ...(shadow ? { SHADOW_MODEL_S3_URI: shadow } : {}),
      },
    });
  }

  private acknowledgeFindings(): void {
    const role = this.fn.role as iam.Role;
    acknowledge(
      role,
      'AwsSolutions-IAM5[Resource::*]',
      'X-Ray PutTraceSegments and PutTelemetryRecords support no resource-level permissions (added by tracing: ACTIVE).',
    );
    acknowledge(
      this.fn,
      'AwsSolutions-L1',
      'The workspace targets Node.js 20 (package.json engines, esbuild target node20); the runtime moves with the toolchain.',
    );
    acknowledge(
      this.fn,
      'CloudFormation-Validate::W2531',
      'Node.js 20 is the runtime the brief and the workspace target; see docs/deployment.md (runtime upgrade) for the move to a newer runtime before AWS disables creation.',
    );
    acknowledge(
      this.fn,
      'Serverless-LambdaLatestVersion',
      'The workspace targets Node.js 20 (package.json engines, esbuild target node20); the runtime moves with the toolchain.',
    );
    acknowledge(
      this.fn,
      'Serverless-LambdaDLQ',
      'Invoked synchronously by API Gateway only: the caller receives every failure; there is no async event to dead-letter.',
    );
    acknowledge(
      this.fn,
      'Serverless-LambdaAsyncFailureDestination',
      'Invoked synchronously by API Gateway only; there are no asynchronous invocations to route.',
    );
    acknowledge(
      this.api,
      'AwsSolutions-APIG4',
      'Machine-to-machine API: callers authenticate with an API key bound to a usage plan; there are no end users to authorise.',
    );
    acknowledge(
      this.api,
      'AwsSolutions-COG4',
      'No end users, hence no Cognito user pool: callers are back-end systems holding API keys.',
    );
    acknowledge(
      this.api,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      'AmazonAPIGatewayPushToCloudWatchLogs is the AWS-maintained policy for the account-level API Gateway logging role.',
    );
  }
}
