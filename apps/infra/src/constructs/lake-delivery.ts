import { Aws, Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config/schema';
import { acknowledgeObjectWildcards } from '../nag';
import { LAKE_PARTITION_COLUMNS, PARTITION_QUERY, lakeGlueColumns } from '../lake-columns';
import { PREFIXES } from './storage';

/** Props of {@link LakeDelivery}. */
export interface LakeDeliveryProps {
  readonly env: EnvironmentConfig;
  readonly bucket: s3.IBucket;
  readonly key: kms.IKey;
}

/**
 * The Glue table of the lake and the Firehose stream that fills it: JSON records in, Parquet out,
 * partitioned by the record's own `ts` into `scores/dt=YYYY-MM-DD/hour=HH/`, KMS-encrypted end to end;
 * records that fail conversion land under `errors/`.
 *
 * @example
 * const lake = new LakeDelivery(stack, 'Lake', { env, bucket: storage.lakeBucket, key: storage.key });
 */
export class LakeDelivery extends Construct {
  readonly stream: firehose.CfnDeliveryStream;
  readonly streamArn: string;
  readonly table: glue.CfnTable;

  constructor(scope: Construct, id: string, props: LakeDeliveryProps) {
    super(scope, id);
    const { env, bucket, key } = props;
    const lakeLocation = `s3://${env.buckets.lake}/${PREFIXES.lake}`;

    const database = new glue.CfnDatabase(this, 'Database', {
      catalogId: Aws.ACCOUNT_ID,
      databaseInput: { name: env.lake.glueDatabase, description: `lead-scoring ${env.name} data lake` },
    });
    this.table = new glue.CfnTable(this, 'ScoresTable', {
      catalogId: Aws.ACCOUNT_ID,
      databaseName: env.lake.glueDatabase,
      tableInput: {
        name: env.lake.glueTable,
        description: 'One row per scored lead (Parquet, written by Firehose)',
        tableType: 'EXTERNAL_TABLE',
        parameters: {
          classification: 'parquet',
          'parquet.compression': 'SNAPPY',
          // Partition projection: Athena derives partitions from the path; no crawler, no MSCK REPAIR.
          'projection.enabled': 'true',
          'projection.dt.type': 'date',
          'projection.dt.format': 'yyyy-MM-dd',
          'projection.dt.range': '2024-01-01,NOW',
          'projection.dt.interval': '1',
          'projection.dt.interval.unit': 'DAYS',
          'projection.hour.type': 'integer',
          'projection.hour.range': '0,23',
          'projection.hour.digits': '2',
          'storage.location.template': lakeLocation + 'dt=${dt}/hour=${hour}/',
        },
        partitionKeys: LAKE_PARTITION_COLUMNS.map((c) => ({ ...c })),
        storageDescriptor: {
          location: lakeLocation,
          columns: lakeGlueColumns().map((c) => ({ ...c })),
          inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
          serdeInfo: {
            serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
            parameters: { 'serialization.format': '1' },
          },
        },
      },
    });
    this.table.addResourceDependency(database);

    const logGroup = new logs.LogGroup(this, 'DeliveryLogs', {
      logGroupName: `/aws/kinesisfirehose/${env.lake.streamName}`,
      retention: env.lambda.logRetentionDays as logs.RetentionDays,
    });
    const logStream = new logs.LogStream(this, 'DeliveryLogStream', { logGroup, logStreamName: 'DestinationDelivery' });

    const role = this.deliveryRole({ env, bucket, key, logGroup });

    this.stream = new firehose.CfnDeliveryStream(this, 'Stream', {
      deliveryStreamName: env.lake.streamName,
      deliveryStreamType: 'DirectPut',
      deliveryStreamEncryptionConfigurationInput: { keyType: 'CUSTOMER_MANAGED_CMK', keyArn: key.keyArn },
      extendedS3DestinationConfiguration: {
        bucketArn: bucket.bucketArn,
        roleArn: role.roleArn,
        prefix: `${PREFIXES.lake}dt=!{partitionKeyFromQuery:dt}/hour=!{partitionKeyFromQuery:hour}/`,
        errorOutputPrefix: `${PREFIXES.lakeErrors}!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/hour=!{timestamp:HH}/`,
        bufferingHints: { intervalInSeconds: env.lake.bufferSeconds, sizeInMBs: env.lake.bufferMb },
        // Parquet is compressed inside the file (SNAPPY below); S3-level compression must stay off.
        compressionFormat: 'UNCOMPRESSED',
        encryptionConfiguration: { kmsEncryptionConfig: { awskmsKeyArn: key.keyArn } },
        cloudWatchLoggingOptions: {
          enabled: true,
          logGroupName: logGroup.logGroupName,
          logStreamName: logStream.logStreamName,
        },
        dynamicPartitioningConfiguration: { enabled: true, retryOptions: { durationInSeconds: 300 } },
        processingConfiguration: {
          enabled: true,
          processors: [
            {
              type: 'MetadataExtraction',
              parameters: [
                { parameterName: 'MetadataExtractionQuery', parameterValue: PARTITION_QUERY },
                { parameterName: 'JsonParsingEngine', parameterValue: 'JQ-1.6' },
              ],
            },
          ],
        },
        dataFormatConversionConfiguration: {
          enabled: true,
          inputFormatConfiguration: {
            deserializer: {
              // Hive JSON SerDe: the one that takes explicit timestamp formats (the lake sink writes ISO-8601 with 'Z').
              hiveJsonSerDe: { timestampFormats: ["yyyy-MM-dd'T'HH:mm:ss.SSSZZ", "yyyy-MM-dd'T'HH:mm:ssZZ", 'millis'] },
            },
          },
          outputFormatConfiguration: { serializer: { parquetSerDe: { compression: 'SNAPPY' } } },
          schemaConfiguration: {
            catalogId: Aws.ACCOUNT_ID,
            region: Aws.REGION,
            databaseName: env.lake.glueDatabase,
            tableName: env.lake.glueTable,
            roleArn: role.roleArn,
            versionId: 'LATEST',
          },
        },
      },
    });
    this.stream.node.addDependency(role);
    this.stream.addResourceDependency(this.table);
    this.streamArn = this.stream.attrArn;
  }

  private deliveryRole(opts: {
    env: EnvironmentConfig;
    bucket: s3.IBucket;
    key: kms.IKey;
    logGroup: logs.LogGroup;
  }): iam.Role {
    const { env, bucket, key, logGroup } = opts;
    const stack = Stack.of(this);
    const role = new iam.Role(this, 'DeliveryRole', {
      assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com', {
        conditions: { StringEquals: { 'sts:ExternalId': env.account } },
      }),
      description: `Firehose ${env.lake.streamName}: write Parquet to the lake bucket`,
    });
    const objects = [bucket.arnForObjects(`${PREFIXES.lake}*`), bucket.arnForObjects(`${PREFIXES.lakeErrors}*`)];
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
        resources: [bucket.bucketArn],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'],
        resources: objects,
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({ actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [key.keyArn] }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['glue:GetTable', 'glue:GetTableVersion', 'glue:GetTableVersions'],
        resources: [
          stack.formatArn({ service: 'glue', resource: 'catalog' }),
          stack.formatArn({ service: 'glue', resource: 'database', resourceName: env.lake.glueDatabase }),
          stack.formatArn({
            service: 'glue',
            resource: 'table',
            resourceName: `${env.lake.glueDatabase}/${env.lake.glueTable}`,
          }),
        ],
      }),
    );
    role.addToPolicy(new iam.PolicyStatement({ actions: ['logs:PutLogEvents'], resources: [logGroup.logGroupArn] }));
    acknowledgeObjectWildcards(
      role,
      bucket,
      [PREFIXES.lake, PREFIXES.lakeErrors],
      'Firehose writes new object keys (one per partition and buffer flush) under these two prefixes; the keys are not known in advance.',
    );
    return role;
  }
}
