import { Match, type Template } from 'aws-cdk-lib/assertions';
import { parseEnvironments } from '../src/config/environments';
import { lakeGlueColumns } from '../src/lake-columns';
import { synthesize, type Synthesized } from './support/synth';

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

let synth: Synthesized;
let staging: Template;
let prod: Template;

beforeAll(() => {
  // One synth of both environments for the whole file: synthesis dominates the run time.
  synth = synthesize(parseEnvironments());
  staging = synth.template('staging');
  prod = synth.template('prod');
}, 180_000);

afterAll(() => synth?.cleanup());

const resourcesOf = (envName: string, type: string): Resources => {
  const all = synth.templateJson(envName)['Resources'] as Resources;
  return Object.fromEntries(Object.entries(all).filter(([, r]) => r.Type === type));
};

/** Every IAM statement attached (inline policies) to the role whose logical id starts with `rolePrefix`. */
const statementsOfRole = (envName: string, rolePrefix: string): { Action: string | string[]; Resource: unknown }[] => {
  const policies = Object.values(resourcesOf(envName, 'AWS::IAM::Policy')).filter((p) =>
    JSON.stringify(p.Properties['Roles']).includes(`"${rolePrefix}`),
  );
  return policies.flatMap(
    (p) =>
      (p.Properties['PolicyDocument'] as { Statement: { Action: string | string[]; Resource: unknown }[] }).Statement,
  );
};

describe('the API edge', () => {
  it('throttles each API key at 300 req/s with bursts of 600 through the usage plan', () => {
    staging.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
      Throttle: { RateLimit: 300, BurstLimit: 600 },
      ApiStages: [Match.objectLike({ Stage: Match.anyValue() })],
    });
    staging.resourceCountIs('AWS::ApiGateway::UsagePlanKey', 1);
  });

  it('caps the whole stage at the same rate, with X-Ray and JSON access logs on', () => {
    staging.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'v1',
      TracingEnabled: true,
      MethodSettings: [
        Match.objectLike({
          ThrottlingRateLimit: 300,
          ThrottlingBurstLimit: 600,
          LoggingLevel: 'ERROR',
          DataTraceEnabled: false,
        }),
      ],
      AccessLogSetting: {
        DestinationArn: Match.anyValue(),
        Format: Match.stringLikeRegexp('^\\{"requestId":"\\$context.requestId"'),
      },
    });
  });

  it('requires an API key and validates the body of POST /score against the ScoreRequest model', () => {
    staging.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'POST',
      ApiKeyRequired: true,
      RequestValidatorId: Match.anyValue(),
      RequestModels: { 'application/json': Match.anyValue() },
    });
    staging.hasResourceProperties('AWS::ApiGateway::RequestValidator', { ValidateRequestBody: true });
    staging.hasResourceProperties('AWS::ApiGateway::Model', {
      Name: 'ScoreRequest',
      Schema: Match.objectLike({ $schema: 'http://json-schema.org/draft-04/schema#', oneOf: Match.anyValue() }),
    });
  });

  it('answers gateway refusals in the API error shape, e.g. 429 RATE_LIMITED', () => {
    staging.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'THROTTLED',
      StatusCode: '429',
      ResponseTemplates: { 'application/json': Match.stringLikeRegexp('"code":"RATE_LIMITED"') },
    });
  });

  it('puts a WAF web ACL with the managed common and bad-input rules and a per-IP rate rule on the stage', () => {
    staging.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      Rules: [
        Match.objectLike({
          Name: 'AWSManagedRulesCommonRuleSet',
          Statement: { ManagedRuleGroupStatement: Match.objectLike({ Name: 'AWSManagedRulesCommonRuleSet' }) },
        }),
        Match.objectLike({ Name: 'AWSManagedRulesKnownBadInputsRuleSet' }),
        Match.objectLike({
          Name: 'RatePerIp',
          Action: { Block: {} },
          Statement: { RateBasedStatement: Match.objectLike({ Limit: 120000, AggregateKeyType: 'IP' }) },
        }),
      ],
    });
    staging.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
  });
});

describe('the scoring Lambda', () => {
  it('runs Node.js 20 on arm64 with 1024 MB, 10 s, reserved concurrency, X-Ray and the scorer environment', () => {
    staging.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs20.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 1024,
      Timeout: 10,
      ReservedConcurrentExecutions: 100,
      TracingConfig: { Mode: 'Active' },
      Environment: {
        Variables: {
          SCORER: 'sagemaker',
          SCORER_FALLBACK: 'inprocess',
          SAGEMAKER_ENDPOINT_NAME: 'lead-scoring-staging',
          FIREHOSE_STREAM_NAME: 'lead-scoring-staging-scores',
          LAKE_FALLBACK_S3_URI: 's3://lead-scoring-lake-staging/_failed/',
          POWERTOOLS_SERVICE_NAME: 'lead-scoring-api',
        },
      },
    });
    staging.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/aws/lambda/lead-scoring-staging-api',
      RetentionInDays: 30,
    });
  });

  it('keeps provisioned concurrency on the live alias in prod only', () => {
    prod.hasResourceProperties('AWS::Lambda::Alias', {
      Name: 'live',
      ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 10 },
    });
    staging.hasResourceProperties('AWS::Lambda::Alias', { Name: 'live', ProvisionedConcurrencyConfig: Match.absent() });
  });

  it('may only invoke its own endpoint, put batches to its own stream and objects under the lake fallback prefix (plus logs and X-Ray)', () => {
    const statements = statementsOfRole('staging', 'ApiFunctionRole');
    const actions = (a: string | string[]) => JSON.stringify(Array.isArray(a) ? [...a].sort() : a);
    const byAction = new Map(statements.map((s) => [actions(s.Action), s.Resource]));
    expect([...byAction.keys()].sort()).toEqual(
      [
        '"firehose:PutRecordBatch"',
        '"sagemaker:InvokeEndpoint"',
        '"s3:PutObject"',
        '"kms:GenerateDataKey"',
        '["logs:CreateLogStream","logs:PutLogEvents"]',
        '["xray:PutTelemetryRecords","xray:PutTraceSegments"]',
      ].sort(),
    );
    expect(JSON.stringify(byAction.get('"sagemaker:InvokeEndpoint"'))).toContain(':endpoint/lead-scoring-staging"');
    expect(byAction.get('"firehose:PutRecordBatch"')).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^LakeStream/), 'Arn'],
    });
    const role = Object.entries(resourcesOf('staging', 'AWS::IAM::Role')).find(([id]) =>
      id.startsWith('ApiFunctionRole'),
    );
    expect(role?.[1].Properties['ManagedPolicyArns']).toBeUndefined();
  });
});

describe('the lake fallback', () => {
  it("lets the function put objects under the lake bucket's _failed/ prefix and nowhere else", () => {
    const statements = statementsOfRole('staging', 'ApiFunctionRole') as {
      Action: string | string[];
      Resource: unknown;
      Condition?: unknown;
    }[];
    const s3Statements = statements.filter((s) => JSON.stringify(s.Action).includes('s3:'));
    expect(s3Statements).toEqual([
      expect.objectContaining({
        Action: 's3:PutObject',
        Resource: {
          'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^StorageLake/), 'Arn'] }, '/_failed/*']],
        },
      }),
    ]);
    const kms = statements.find((s) => s.Action === 'kms:GenerateDataKey');
    expect(kms).toMatchObject({
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^StorageKey/), 'Arn'] },
      Condition: { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } },
    });
  });

  it('keeps _failed/ objects until they are re-sent: no lifecycle rule expires or moves them', () => {
    const lake = Object.values(resourcesOf('prod', 'AWS::S3::Bucket')).find(
      (b) => b.Properties['BucketName'] === 'lead-scoring-lake-prod',
    )!;
    const rules = (lake.Properties['LifecycleConfiguration'] as { Rules: Record<string, unknown>[] }).Rules;
    const covering = rules.filter((r) => '_failed/x'.startsWith(String(r['Prefix'] ?? '')));
    expect(covering.length).toBeGreaterThan(0);
    for (const r of covering) {
      expect(r).not.toHaveProperty('ExpirationInDays');
      expect(r).not.toHaveProperty('Transitions');
      expect(r).not.toHaveProperty('NoncurrentVersionExpiration');
    }
  });
});

describe('storage', () => {
  it('blocks public access on every bucket and refuses non-TLS requests', () => {
    const buckets = resourcesOf('staging', 'AWS::S3::Bucket');
    expect(Object.keys(buckets)).toHaveLength(3);
    for (const b of Object.values(buckets)) {
      expect(b.Properties['PublicAccessBlockConfiguration']).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
    }
    const policies = Object.values(resourcesOf('staging', 'AWS::S3::BucketPolicy'));
    expect(policies).toHaveLength(3);
    for (const p of policies) expect(JSON.stringify(p.Properties)).toContain('"aws:SecureTransport":"false"');
  });

  it('encrypts the model and lake buckets with the customer-managed key and versions the model bucket', () => {
    for (const name of ['lead-scoring-models-staging', 'lead-scoring-lake-staging']) {
      staging.hasResourceProperties('AWS::S3::Bucket', {
        BucketName: name,
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            {
              BucketKeyEnabled: true,
              ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() },
            },
          ],
        },
      });
    }
    staging.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: 'lead-scoring-models-staging',
      VersioningConfiguration: { Status: 'Enabled' },
    });
    staging.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('tiers the lake to Standard-IA and Glacier Instant Retrieval, then expires it', () => {
    prod.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: 'lead-scoring-lake-prod',
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({
            Prefix: 'scores/',
            ExpirationInDays: 730,
            Transitions: [
              { StorageClass: 'STANDARD_IA', TransitionInDays: 30 },
              { StorageClass: 'GLACIER_IR', TransitionInDays: 90 },
            ],
          }),
        ]),
      },
    });
  });
});

describe('the lake stream', () => {
  it('writes KMS-encrypted Parquet partitioned by dt/hour of the record, with an error prefix', () => {
    staging.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamName: 'lead-scoring-staging-scores',
      DeliveryStreamEncryptionConfigurationInput: { KeyType: 'CUSTOMER_MANAGED_CMK', KeyARN: Match.anyValue() },
      ExtendedS3DestinationConfiguration: Match.objectLike({
        Prefix: 'scores/dt=!{partitionKeyFromQuery:dt}/hour=!{partitionKeyFromQuery:hour}/',
        ErrorOutputPrefix: Match.stringLikeRegexp('^errors/!\\{firehose:error-output-type\\}/'),
        DynamicPartitioningConfiguration: { Enabled: true, RetryOptions: { DurationInSeconds: 300 } },
        BufferingHints: { IntervalInSeconds: 300, SizeInMBs: 64 },
        EncryptionConfiguration: { KMSEncryptionConfig: { AWSKMSKeyARN: Match.anyValue() } },
        DataFormatConversionConfiguration: Match.objectLike({
          Enabled: true,
          OutputFormatConfiguration: { Serializer: { ParquetSerDe: { Compression: 'SNAPPY' } } },
          SchemaConfiguration: Match.objectLike({ DatabaseName: 'lead_scoring_staging', TableName: 'scores' }),
        }),
      }),
    });
  });

  it('declares the Glue table with the lake record columns and the features as one map, whatever the bundle', () => {
    staging.hasResourceProperties('AWS::Glue::Table', {
      TableInput: Match.objectLike({
        Name: 'scores',
        PartitionKeys: [
          Match.objectLike({ Name: 'dt', Type: 'string' }),
          Match.objectLike({ Name: 'hour', Type: 'string' }),
        ],
        StorageDescriptor: Match.objectLike({
          Location: 's3://lead-scoring-lake-staging/scores/',
          Columns: lakeGlueColumns().map((c) => Match.objectLike({ Name: c.name, Type: c.type })),
        }),
      }),
    });
    const table = Object.values(resourcesOf('staging', 'AWS::Glue::Table'))[0]!.Properties as {
      TableInput: { StorageDescriptor: { Columns: { Name: string; Type: string }[] } };
    };
    expect(table.TableInput.StorageDescriptor.Columns.at(-1)).toMatchObject({
      Name: 'features',
      Type: 'map<string,double>',
    });
    expect(table.TableInput.StorageDescriptor.Columns.map((c) => c.Name)).not.toContain('web_visits_30d');
  });

  it('reads the Firehose records with the Hive JSON SerDe, which maps a nested object onto the features map column', () => {
    staging.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      ExtendedS3DestinationConfiguration: Match.objectLike({
        DataFormatConversionConfiguration: Match.objectLike({
          InputFormatConfiguration: { Deserializer: { HiveJsonSerDe: Match.anyValue() } },
        }),
      }),
    });
  });
});

describe('alarms', () => {
  const alarm = (name: string) =>
    Object.values(resourcesOf('staging', 'AWS::CloudWatch::Alarm')).find((a) => a.Properties['AlarmName'] === name)
      ?.Properties;

  it('alarms on API p99 latency above 1 s and a 5xx rate above 1 %', () => {
    expect(alarm('lead-scoring-staging-api-p99-latency')).toMatchObject({
      MetricName: 'Latency',
      ExtendedStatistic: 'p99',
      Threshold: 1000,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    expect(alarm('lead-scoring-staging-api-5xx-rate')).toMatchObject({
      MetricName: '5XXError',
      Statistic: 'Average',
      Threshold: 0.01,
    });
  });

  it('alarms on Lambda errors and throttles, SageMaker 5xx and latency (in µs), and Firehose failures', () => {
    expect(alarm('lead-scoring-staging-lambda-errors')).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Threshold: 5,
    });
    expect(alarm('lead-scoring-staging-lambda-throttles')).toMatchObject({ MetricName: 'Throttles', Threshold: 1 });
    expect(alarm('lead-scoring-staging-invocation-5xx')).toMatchObject({
      Namespace: 'AWS/SageMaker',
      MetricName: 'Invocation5XXErrors',
      Threshold: 1,
    });
    expect(alarm('lead-scoring-staging-model-latency')).toMatchObject({
      MetricName: 'ModelLatency',
      ExtendedStatistic: 'p99',
      Threshold: 500_000,
    });
    expect(alarm('lead-scoring-staging-firehose-delivery')).toMatchObject({
      MetricName: 'DeliveryToS3.Success',
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
    });
    expect(alarm('lead-scoring-staging-firehose-conversion')).toMatchObject({ MetricName: 'FailedConversion.Records' });
  });

  it('alarms when DriftPsiMax in the LeadScoring namespace exceeds 0.25', () => {
    expect(alarm('lead-scoring-staging-drift-psi')).toMatchObject({
      Threshold: 0.25,
      ComparisonOperator: 'GreaterThanThreshold',
      Metrics: [expect.objectContaining({ Expression: 'SELECT MAX(DriftPsiMax) FROM LeadScoring' })],
    });
  });

  it('alarms on any lake record reaching the fallback, and on any the fallback could not take', () => {
    expect(alarm('lead-scoring-staging-lake-fallback')).toMatchObject({
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      Metrics: [
        expect.objectContaining({ Expression: 'SELECT SUM(LakeRecordsFallback) FROM LeadScoring', Period: 300 }),
      ],
    });
    expect(alarm('lead-scoring-staging-lake-unavailable')).toMatchObject({
      Threshold: 1,
      Metrics: [expect.objectContaining({ Expression: 'SELECT SUM(LakeRecordsUnplaced) FROM LeadScoring' })],
    });
  });

  it('sends every alarm and its recovery to the KMS-encrypted SNS topic', () => {
    const alarms = Object.values(resourcesOf('staging', 'AWS::CloudWatch::Alarm'));
    expect(alarms).toHaveLength(11);
    for (const a of alarms) {
      expect(a.Properties['AlarmActions']).toEqual([{ Ref: expect.stringMatching(/^MonitoringAlarmTopic/) }]);
      expect(a.Properties['OKActions']).toEqual(a.Properties['AlarmActions']);
    }
    staging.hasResourceProperties('AWS::SNS::Topic', {
      TopicName: 'lead-scoring-staging-alarms',
      KmsMasterKeyId: Match.anyValue(),
    });
    prod.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'lead-scoring-oncall@example.com',
    });
  });
});

describe('SageMaker when deploy-model owns the endpoint', () => {
  it('creates only the execution role deploy-model passes, with no endpoint resources', () => {
    staging.hasResourceProperties('AWS::IAM::Role', { RoleName: 'lead-scoring-sagemaker-staging' });
    staging.resourceCountIs('AWS::SageMaker::Endpoint', 0);
    staging.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 0);
  });
});

describe('the synthesized template', () => {
  it('matches the committed snapshot (asset hashes masked)', () => {
    const text = JSON.stringify(synth.templateJson('staging'), null, 1).replace(/[0-9a-f]{64}/g, '<asset-hash>');
    expect(JSON.parse(text)).toMatchSnapshot();
  });
});
