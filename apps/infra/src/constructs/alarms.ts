import { Duration } from 'aws-cdk-lib';
import * as cw from 'aws-cdk-lib/aws-cloudwatch';
import type { EnvironmentConfig } from '../config/schema';

/** CloudWatch namespace of the application's own metrics (EMF through Powertools). */
export const APP_NAMESPACE = 'LeadScoring';

/** What the alarms watch. */
export interface AlarmTargets {
  readonly restApiName: string;
  readonly stageName: string;
  readonly functionName: string;
  readonly endpointName: string;
  readonly variantName: string;
  readonly streamName: string;
}

/** One alarm, as data: the construct id, its name, the metric and the comparison. */
export interface AlarmSpec {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly metric: cw.IMetric;
  readonly threshold: number;
  readonly comparison: cw.ComparisonOperator;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
}

const minute = Duration.minutes(1);
const fiveMinutes = Duration.minutes(5);
const GT = cw.ComparisonOperator.GREATER_THAN_THRESHOLD;
const GTE = cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD;

/** A Metrics Insights query over an application metric, per 5 minutes, whatever dimensions the emitter attaches. */
const insights = (fn: 'SUM' | 'MAX', metricName: string): cw.MathExpression =>
  new cw.MathExpression({
    expression: `SELECT ${fn}(${metricName}) FROM ${APP_NAMESPACE}`,
    usingMetrics: {},
    period: fiveMinutes,
    label: metricName,
  });

/**
 * The alarm catalogue of one environment. Names are stable: `deploy-model` uses
 * `<prefix>-invocation-5xx` and `<prefix>-model-latency` as blue/green rollback alarms.
 *
 * @example
 * alarmSpecs(env, targets).map((s) => s.name); // ['lead-scoring-staging-api-p99-latency', ...]
 */
export function alarmSpecs(env: EnvironmentConfig, t: AlarmTargets): AlarmSpec[] {
  const p = `lead-scoring-${env.name}`;
  const a = env.alarms;
  const api = { ApiName: t.restApiName, Stage: t.stageName };
  const variant = { EndpointName: t.endpointName, VariantName: t.variantName };
  const stream = { DeliveryStreamName: t.streamName };
  const fn = { FunctionName: t.functionName };
  return [
    {
      id: 'ApiP99Latency',
      name: `${p}-api-p99-latency`,
      description: `API Gateway p99 latency above ${a.apiP99LatencyMs} ms in 3 of 5 minutes (SLO: p99 < 1 s)`,
      metric: new cw.Metric({
        namespace: 'AWS/ApiGateway',
        metricName: 'Latency',
        dimensionsMap: api,
        statistic: 'p99',
        period: minute,
      }),
      threshold: a.apiP99LatencyMs,
      comparison: GT,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
    },
    {
      id: 'Api5xxRate',
      name: `${p}-api-5xx-rate`,
      // 5XXError is 0 or 1 per request, so its Average is the 5xx fraction.
      description: `More than ${a.api5xxRate * 100}% of requests answered 5xx in 3 of 5 minutes`,
      metric: new cw.Metric({
        namespace: 'AWS/ApiGateway',
        metricName: '5XXError',
        dimensionsMap: api,
        statistic: 'Average',
        period: minute,
      }),
      threshold: a.api5xxRate,
      comparison: GT,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
    },
    {
      id: 'LambdaErrors',
      name: `${p}-lambda-errors`,
      description: `${a.lambdaErrorsPer5Min}+ Lambda invocation errors in 5 minutes`,
      metric: new cw.Metric({
        namespace: 'AWS/Lambda',
        metricName: 'Errors',
        dimensionsMap: fn,
        statistic: 'Sum',
        period: fiveMinutes,
      }),
      threshold: a.lambdaErrorsPer5Min,
      comparison: GTE,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
    },
    {
      id: 'LambdaThrottles',
      name: `${p}-lambda-throttles`,
      description: `${a.lambdaThrottlesPer5Min}+ Lambda throttles in 5 minutes: reserved concurrency exhausted`,
      metric: new cw.Metric({
        namespace: 'AWS/Lambda',
        metricName: 'Throttles',
        dimensionsMap: fn,
        statistic: 'Sum',
        period: fiveMinutes,
      }),
      threshold: a.lambdaThrottlesPer5Min,
      comparison: GTE,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
    },
    {
      id: 'SageMakerInvocation5xx',
      name: `${p}-invocation-5xx`,
      description: 'SageMaker endpoint answered 5xx in 2 of 3 minutes (deploy-model rollback alarm)',
      metric: new cw.Metric({
        namespace: 'AWS/SageMaker',
        metricName: 'Invocation5XXErrors',
        dimensionsMap: variant,
        statistic: 'Sum',
        period: minute,
      }),
      threshold: 1,
      comparison: GTE,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
    },
    {
      id: 'SageMakerModelLatency',
      name: `${p}-model-latency`,
      // SageMaker reports ModelLatency in microseconds.
      description: `SageMaker p99 ModelLatency above ${a.modelLatencyP99Ms} ms in 3 of 5 minutes (deploy-model rollback alarm)`,
      metric: new cw.Metric({
        namespace: 'AWS/SageMaker',
        metricName: 'ModelLatency',
        dimensionsMap: variant,
        statistic: 'p99',
        period: minute,
      }),
      threshold: a.modelLatencyP99Ms * 1000,
      comparison: GT,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
    },
    {
      id: 'FirehoseDelivery',
      name: `${p}-firehose-delivery`,
      description: 'Firehose failed to deliver to S3 (DeliveryToS3.Success below 1) for 15 minutes',
      metric: new cw.Metric({
        namespace: 'AWS/Firehose',
        metricName: 'DeliveryToS3.Success',
        dimensionsMap: stream,
        statistic: 'Minimum',
        period: fiveMinutes,
      }),
      threshold: 1,
      comparison: cw.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
    },
    {
      id: 'FirehoseConversion',
      name: `${p}-firehose-conversion`,
      description:
        'Records failed Parquet conversion (schema mismatch with the Glue table); see errors/ in the lake bucket',
      metric: new cw.Metric({
        namespace: 'AWS/Firehose',
        metricName: 'FailedConversion.Records',
        dimensionsMap: stream,
        statistic: 'Sum',
        period: fiveMinutes,
      }),
      threshold: 1,
      comparison: GTE,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
    },
    {
      id: 'LakeFallback',
      name: `${p}-lake-fallback`,
      // Metrics Insights sums over every dimension set, as for DriftPsi below.
      description:
        'Scored leads went to the lake fallback (s3://<lake bucket>/_failed/) because Firehose refused them: re-send them with deploy-model lake-resend',
      metric: insights('SUM', 'LakeRecordsFallback'),
      threshold: 1,
      comparison: GTE,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
    },
    {
      id: 'LakeUnavailable',
      name: `${p}-lake-unavailable`,
      description:
        'Scored leads neither Firehose nor the lake fallback took: their callers got 503 LAKE_UNAVAILABLE instead of scores',
      metric: insights('SUM', 'LakeRecordsUnplaced'),
      threshold: 1,
      comparison: GTE,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
    },
    {
      id: 'DriftPsi',
      name: `${p}-drift-psi`,
      // A Metrics Insights query aggregates DriftPsiMax over every dimension set (service, ...), so the
      // alarm does not depend on which dimensions the emitter attaches.
      description: `Max feature PSI above ${a.driftPsiMax} for 15 minutes: input drift, see the drifting-feature runbook`,
      metric: insights('MAX', 'DriftPsiMax'),
      threshold: a.driftPsiMax,
      comparison: GT,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
    },
  ];
}
