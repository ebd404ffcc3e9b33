import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config/schema';
import { acknowledge } from '../nag';

/** S3 key prefixes shared by the stack, the deploy CLI and the observability lake reader. */
export const PREFIXES = {
  /** Model artefacts `deploy-model` uploads (`models/<name>/<version>/model.tar.gz`). */
  models: 'models/',
  /** SageMaker data capture (`s3://<models bucket>/data-capture`, as in deploy-model's config). */
  dataCapture: 'data-capture/',
  /** Parquet lake: `scores/dt=YYYY-MM-DD/hour=HH/`. */
  lake: 'scores/',
  /** Records Firehose could not convert or deliver. */
  lakeErrors: 'errors/',
  /** Records the API's Firehose calls refused, as NDJSON objects (LAKE_FALLBACK_S3_URI) until `deploy-model lake-resend` sends them. */
  lakeFallback: '_failed/',
} as const;

/** Props of {@link Storage}. */
export interface StorageProps {
  readonly env: EnvironmentConfig;
}

/**
 * The customer-managed KMS key and the three buckets: models (versioned), lake (tiered lifecycle)
 * and server access logs. All block public access and refuse plain HTTP.
 *
 * @example
 * const storage = new Storage(stack, 'Storage', { env });
 */
export class Storage extends Construct {
  readonly key: kms.Key;
  readonly accessLogsBucket: s3.Bucket;
  readonly modelBucket: s3.Bucket;
  readonly lakeBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: StorageProps) {
    super(scope, id);
    const { env } = props;

    this.key = new kms.Key(this, 'Key', {
      alias: `alias/lead-scoring-${env.name}`,
      description: `lead-scoring ${env.name}: S3 buckets, Firehose stream, SNS alarm topic, SageMaker data capture`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudWatch alarms publish to the KMS-encrypted SNS topic; the service needs the key to do so.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': env.account } },
      }),
    );

    // S3 server access logs cannot be delivered to an SSE-KMS bucket: this one alone uses SSE-S3.
    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', {
      bucketName: env.buckets.accessLogs,
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      this.accessLogsBucket,
      'AwsSolutions-S1',
      'This is the server access log target; logging it into itself would loop.',
    );

    const common = {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      // Bucket keys cut KMS requests (and cost) by orders of magnitude at the lake's write rate.
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogsBucket,
      removalPolicy: RemovalPolicy.RETAIN,
    } as const;

    this.modelBucket = new s3.Bucket(this, 'Models', {
      ...common,
      bucketName: env.buckets.models,
      serverAccessLogsPrefix: 'models/',
      versioned: true,
      lifecycleRules: [
        { id: 'expire-old-model-versions', prefix: PREFIXES.models, noncurrentVersionExpiration: Duration.days(180) },
        {
          id: 'expire-data-capture',
          prefix: PREFIXES.dataCapture,
          expiration: Duration.days(90),
          noncurrentVersionExpiration: Duration.days(1),
        },
        { id: 'abort-multipart', abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ],
    });

    this.lakeBucket = new s3.Bucket(this, 'Lake', {
      ...common,
      bucketName: env.buckets.lake,
      serverAccessLogsPrefix: 'lake/',
      lifecycleRules: [
        {
          id: 'tier-and-expire-scores',
          prefix: PREFIXES.lake,
          // Glacier Instant Retrieval, not Flexible: Athena can still read the Parquet files in place.
          transitions: [
            {
              storageClass: s3.StorageClass.INFREQUENT_ACCESS,
              transitionAfter: Duration.days(env.lake.infrequentAccessAfterDays),
            },
            {
              storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL,
              transitionAfter: Duration.days(env.lake.glacierAfterDays),
            },
          ],
          expiration: Duration.days(env.lake.expireAfterDays),
        },
        { id: 'expire-delivery-errors', prefix: PREFIXES.lakeErrors, expiration: Duration.days(30) },
        { id: 'abort-multipart', abortIncompleteMultipartUploadAfter: Duration.days(7) },
        // No rule expires or moves `_failed/`: its objects are scored leads not yet in the lake, kept until re-sent.
      ],
    });
  }
}
