import { Stack, Validations } from 'aws-cdk-lib';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges one cdk-nag (or CloudFormation-validate) finding on a construct and its children.
 * Every acknowledgment in this app goes through here, so `grep acknowledge(` lists them all.
 *
 * @example
 * acknowledge(fn, 'Serverless-LambdaDLQ', 'Invoked synchronously by API Gateway only.');
 */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

/**
 * Acknowledges AwsSolutions-IAM5 for `<bucket ARN>/<prefix>*` object resources: the finding id
 * names the bucket's logical id, as cdk-nag renders it (`Resource::<LogicalId.Arn>/prefix/*`).
 *
 * @example
 * acknowledgeObjectWildcards(role, bucket, ['scores/', 'errors/'], 'Firehose writes new keys under these prefixes.');
 */
export function acknowledgeObjectWildcards(
  scope: IConstruct,
  bucket: s3.IBucket,
  prefixes: readonly string[],
  reason: string,
): void {
  const logicalId = Stack.of(bucket).getLogicalId(bucket.node.defaultChild as s3.CfnBucket);
  for (const prefix of prefixes)
    acknowledge(scope, `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/${prefix}*]`, reason);
}
