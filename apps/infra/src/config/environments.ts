import { InfraError } from '../errors';
import { EnvironmentSchema, type EnvironmentConfig } from './schema';

// The AWS-built XGBoost 1.7-1 serving image in eu-west-1: the same image `deploy-model` resolves
// for `{"image": {"type": "xgboost-1.7-1"}}` (apps/deploy-model/src/xgboost-image.ts).
const XGBOOST_IMAGE_EU_WEST_1 = '141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-xgboost:1.7-1';

/**
 * The environments, as checked in. Accounts, region, bucket names, endpoint and role names match
 * apps/deploy-model/config/environments.json (a test keeps them in step). Edit values here, never in
 * the stacks.
 */
export const ENVIRONMENTS: readonly unknown[] = [
  {
    name: 'staging',
    account: '111122223333',
    region: 'eu-west-1',
    api: {
      stageName: 'v1',
      rateLimit: 300,
      burstLimit: 600,
      wafRequestsPer5MinPerIp: 120_000,
      accessLogRetentionDays: 30,
    },
    lambda: {
      memoryMb: 1024,
      timeoutSeconds: 10,
      reservedConcurrency: 100,
      provisionedConcurrency: 0,
      logRetentionDays: 30,
      scorer: 'sagemaker',
      scorerFallback: 'inprocess',
      serviceName: 'lead-scoring-api',
    },
    sagemaker: {
      endpointName: 'lead-scoring-staging',
      executionRoleName: 'lead-scoring-sagemaker-staging',
      endpointOwner: 'deploy-model',
      variantName: 'AllTraffic',
      imageUri: XGBOOST_IMAGE_EU_WEST_1,
      instanceType: 'ml.m5.large',
      initialInstanceCount: 1,
      dataCapturePercent: 20,
      autoscaling: {
        minCapacity: 1,
        maxCapacity: 2,
        targetInvocationsPerInstance: 300,
        scaleInCooldownSeconds: 300,
        scaleOutCooldownSeconds: 60,
      },
    },
    buckets: {
      models: 'lead-scoring-models-staging',
      lake: 'lead-scoring-lake-staging',
      accessLogs: 'lead-scoring-access-logs-staging',
    },
    lake: {
      streamName: 'lead-scoring-staging-scores',
      glueDatabase: 'lead_scoring_staging',
      glueTable: 'scores',
      bufferSeconds: 300,
      bufferMb: 64,
      infrequentAccessAfterDays: 30,
      glacierAfterDays: 60,
      expireAfterDays: 180,
    },
    alarms: {
      apiP99LatencyMs: 1000,
      api5xxRate: 0.01,
      lambdaErrorsPer5Min: 5,
      lambdaThrottlesPer5Min: 1,
      modelLatencyP99Ms: 500,
      driftPsiMax: 0.25,
    },
  },
  {
    name: 'prod',
    account: '444455556666',
    region: 'eu-west-1',
    api: {
      stageName: 'v1',
      rateLimit: 300,
      burstLimit: 600,
      wafRequestsPer5MinPerIp: 120_000,
      accessLogRetentionDays: 90,
    },
    lambda: {
      memoryMb: 1024,
      timeoutSeconds: 10,
      reservedConcurrency: 200,
      provisionedConcurrency: 10,
      logRetentionDays: 90,
      scorer: 'sagemaker',
      scorerFallback: 'inprocess',
      serviceName: 'lead-scoring-api',
    },
    sagemaker: {
      endpointName: 'lead-scoring-prod',
      executionRoleName: 'lead-scoring-sagemaker-prod',
      endpointOwner: 'deploy-model',
      variantName: 'AllTraffic',
      imageUri: XGBOOST_IMAGE_EU_WEST_1,
      instanceType: 'ml.c5.xlarge',
      initialInstanceCount: 2,
      dataCapturePercent: 5,
      autoscaling: {
        minCapacity: 2,
        maxCapacity: 8,
        targetInvocationsPerInstance: 600,
        scaleInCooldownSeconds: 600,
        scaleOutCooldownSeconds: 60,
      },
    },
    buckets: {
      models: 'lead-scoring-models-prod',
      lake: 'lead-scoring-lake-prod',
      accessLogs: 'lead-scoring-access-logs-prod',
    },
    lake: {
      streamName: 'lead-scoring-prod-scores',
      glueDatabase: 'lead_scoring_prod',
      glueTable: 'scores',
      bufferSeconds: 300,
      bufferMb: 128,
      infrequentAccessAfterDays: 30,
      glacierAfterDays: 90,
      expireAfterDays: 730,
    },
    alarms: {
      email: 'lead-scoring-oncall@example.com',
      apiP99LatencyMs: 1000,
      api5xxRate: 0.01,
      lambdaErrorsPer5Min: 5,
      lambdaThrottlesPer5Min: 1,
      modelLatencyP99Ms: 500,
      driftPsiMax: 0.25,
    },
  },
];

/**
 * Validates raw environment entries and returns them typed; throws an {@link InfraError}
 * (`INFRA_CONFIG_INVALID`) naming the environment and the field at fault.
 *
 * @example
 * const [staging, prod] = parseEnvironments(ENVIRONMENTS);
 */
export function parseEnvironments(raw: readonly unknown[] = ENVIRONMENTS): EnvironmentConfig[] {
  const out: EnvironmentConfig[] = [];
  raw.forEach((entry, i) => {
    const parsed = EnvironmentSchema.safeParse(entry);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const label = (entry as { name?: unknown } | null)?.name ?? `#${i}`;
      const where = issue?.path.join('.') || '(root)';
      throw new InfraError(
        'INFRA_CONFIG_INVALID',
        `environment ${String(label)}: ${where} ${issue?.message ?? 'is invalid'}`,
      );
    }
    out.push(parsed.data);
  });
  const names = out.map((e) => e.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new InfraError('INFRA_CONFIG_INVALID', `environment ${dup} is defined twice`);
  return out;
}

/**
 * The validated environment called `name`; throws `INFRA_UNKNOWN_ENVIRONMENT` listing the known ones.
 *
 * @example
 * getEnvironment('staging').api.rateLimit; // 300
 */
export function getEnvironment(name: string, raw: readonly unknown[] = ENVIRONMENTS): EnvironmentConfig {
  const envs = parseEnvironments(raw);
  const found = envs.find((e) => e.name === name);
  if (!found)
    throw new InfraError('INFRA_UNKNOWN_ENVIRONMENT', `${name} (known: ${envs.map((e) => e.name).join(', ')})`);
  return found;
}
