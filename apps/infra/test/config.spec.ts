import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENVIRONMENTS, getEnvironment, parseEnvironments } from '../src/config/environments';
import { PREFIXES } from '../src/constructs/storage';
import { INFRA_ERROR_CODES, InfraError } from '../src/errors';

const staging = ENVIRONMENTS[0] as Record<string, Record<string, unknown>>;
const withStaging = (patch: (e: Record<string, Record<string, unknown>>) => void): unknown[] => {
  const copy = structuredClone(staging);
  patch(copy);
  return [copy];
};
const errorOf = (fn: () => unknown): InfraError => {
  try {
    fn();
  } catch (err) {
    return err as InfraError;
  }
  throw new Error('expected an InfraError');
};

describe('environment config', () => {
  it('accepts the checked-in staging and prod environments', () => {
    expect(parseEnvironments().map((e) => e.name)).toEqual(['staging', 'prod']);
    expect(getEnvironment('prod').api).toMatchObject({ rateLimit: 300, burstLimit: 600 });
  });

  it('rejects a burst limit below the rate limit, naming the environment and field', () => {
    const err = errorOf(() => parseEnvironments(withStaging((e) => (e['api']!['burstLimit'] = 100))));
    expect(err.code).toBe('INFRA_CONFIG_INVALID');
    expect(err.message).toContain('environment staging: api.burstLimit must be at least rateLimit');
  });

  it('rejects an account id that is not 12 digits', () => {
    const copy = structuredClone(staging) as Record<string, unknown>;
    copy['account'] = '1234';
    expect(errorOf(() => parseEnvironments([copy])).message).toContain('account must be a 12-digit AWS account id');
  });

  it('rejects unknown keys instead of ignoring a typo', () => {
    const err = errorOf(() => parseEnvironments(withStaging((e) => (e['lambda']!['memorySize'] = 2048))));
    expect(err.message).toContain('environment staging: lambda');
  });

  it('requires an initial model artefact when CDK owns the endpoint', () => {
    const err = errorOf(() => parseEnvironments(withStaging((e) => (e['sagemaker']!['endpointOwner'] = 'cdk'))));
    expect(err.message).toContain('sagemaker.initialModelDataUrl is required when endpointOwner is cdk');
  });

  it('rejects an endpoint name other than lead-scoring-<env>', () => {
    const err = errorOf(() => parseEnvironments(withStaging((e) => (e['sagemaker']!['endpointName'] = 'scoring'))));
    expect(err.message).toContain('sagemaker.endpointName must be lead-scoring-staging');
  });

  it('rejects a lake lifecycle that leaves Standard-IA before 30 days', () => {
    const err = errorOf(() => parseEnvironments(withStaging((e) => (e['lake']!['glacierAfterDays'] = 45))));
    expect(err.message).toContain('lake.glacierAfterDays must be at least infrequentAccessAfterDays + 30');
  });

  it('rejects a log retention CloudWatch does not offer', () => {
    const err = errorOf(() => parseEnvironments(withStaging((e) => (e['lambda']!['logRetentionDays'] = 42))));
    expect(err.message).toContain('lambda.logRetentionDays must be one of');
  });

  it('rejects two environments with the same name', () => {
    expect(errorOf(() => parseEnvironments([staging, staging])).message).toContain(
      'environment staging is defined twice',
    );
  });

  it('names the known environments when asked for an unknown one', () => {
    const err = errorOf(() => getEnvironment('qa'));
    expect(err.code).toBe('INFRA_UNKNOWN_ENVIRONMENT');
    expect(err.message).toContain('known: staging, prod');
  });

  it('has unique error codes', () => {
    expect(new Set(INFRA_ERROR_CODES).size).toBe(INFRA_ERROR_CODES.length);
  });
});

describe('consistency with the deploy CLI config', () => {
  // apps/deploy-model creates and updates the endpoints in these accounts; a rename on either side
  // would send deploys to a bucket, role or endpoint the stack does not manage.
  const deployConfig = JSON.parse(
    readFileSync(join(__dirname, '../../deploy-model/config/environments.json'), 'utf8'),
  ) as Record<string, Record<string, unknown>>;

  it.each(['staging', 'prod'])(
    'agrees on account, region, bucket, role, endpoint, variant and capacity for %s',
    (name) => {
      const env = getEnvironment(name);
      const d = deployConfig[name]!;
      expect({
        region: d['region'],
        bucket: d['bucket'],
        roleArn: d['roleArn'],
        endpointName: d['endpointName'],
        variantName: d['variantName'],
        instanceType: d['instanceType'],
        instanceCount: d['instanceCount'],
        dataCapture: d['dataCapture'],
        autoscaling: d['autoscaling'],
      }).toEqual({
        region: env.region,
        bucket: env.buckets.models,
        roleArn: `arn:aws:iam::${env.account}:role/${env.sagemaker.executionRoleName}`,
        endpointName: env.sagemaker.endpointName,
        variantName: env.sagemaker.variantName,
        instanceType: env.sagemaker.instanceType,
        instanceCount: env.sagemaker.initialInstanceCount,
        dataCapture: {
          enabled: true,
          samplingPercentage: env.sagemaker.dataCapturePercent,
          s3Uri: `s3://${env.buckets.models}/data-capture`,
        },
        autoscaling: env.sagemaker.autoscaling,
      });
    },
  );

  it.each(['staging', 'prod'])(
    'agrees on the lake bucket, stream and fallback prefix lake-resend uses in %s',
    (name) => {
      const env = getEnvironment(name);
      expect(deployConfig[name]!['lake']).toEqual({
        bucket: env.buckets.lake,
        streamName: env.lake.streamName,
        fallbackPrefix: PREFIXES.lakeFallback,
      });
    },
  );

  it.each(['staging', 'prod'])('defines the rollback alarms deploy-model watches in %s', (name) => {
    const alarms = (deployConfig[name]!['deployment'] as { rollbackAlarms: string[] }).rollbackAlarms;
    expect(alarms).toEqual([`lead-scoring-${name}-invocation-5xx`, `lead-scoring-${name}-model-latency`]);
  });
});
