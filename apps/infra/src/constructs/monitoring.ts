import { Duration } from 'aws-cdk-lib';
import * as cw from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subs from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config/schema';
import { acknowledge } from '../nag';
import { APP_NAMESPACE, alarmSpecs, type AlarmTargets } from './alarms';

/** Props of {@link Monitoring}. */
export interface MonitoringProps {
  readonly env: EnvironmentConfig;
  readonly key: kms.IKey;
  readonly targets: AlarmTargets;
}

const search = (query: string, stat: string, label: string): cw.MathExpression =>
  new cw.MathExpression({
    expression: `SEARCH('${query}', '${stat}', 60)`,
    usingMetrics: {},
    label,
    period: Duration.minutes(1),
  });

/**
 * The SNS alarm topic (KMS-encrypted, TLS only, optional e-mail subscription), every alarm of
 * {@link alarmSpecs} wired to it for ALARM and OK, and one dashboard per environment.
 *
 * @example
 * new Monitoring(stack, 'Monitoring', { env, key: storage.key, targets });
 */
export class Monitoring extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cw.Alarm[];
  readonly dashboard: cw.Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const { env, key, targets } = props;
    const p = `lead-scoring-${env.name}`;

    this.topic = new sns.Topic(this, 'AlarmTopic', {
      topicName: `${p}-alarms`,
      displayName: `lead-scoring ${env.name} alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    if (env.alarms.email !== undefined) {
      const sub = new subs.EmailSubscription(env.alarms.email);
      this.topic.addSubscription(sub);
      acknowledge(
        this.topic,
        'Serverless-SNSRedrivePolicy',
        'The only subscription is an on-call e-mail address; SNS retries e-mail delivery itself and a DLQ would go unread.',
      );
    }

    const action = new cwActions.SnsAction(this.topic);
    this.alarms = alarmSpecs(env, targets).map((spec) => {
      const alarm = new cw.Alarm(this, spec.id, {
        alarmName: spec.name,
        alarmDescription: spec.description,
        metric: spec.metric,
        threshold: spec.threshold,
        comparisonOperator: spec.comparison,
        evaluationPeriods: spec.evaluationPeriods,
        datapointsToAlarm: spec.datapointsToAlarm,
        // No traffic is not an incident; an idle endpoint or stream must not page anyone.
        treatMissingData: cw.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
      return alarm;
    });

    this.dashboard = new cw.Dashboard(this, 'Dashboard', { dashboardName: p, defaultInterval: Duration.hours(3) });
    this.dashboard.addWidgets(...this.widgets(targets, env));
  }

  private widgets(t: AlarmTargets, env: EnvironmentConfig): cw.IWidget[] {
    const api = { ApiName: t.restApiName, Stage: t.stageName };
    const fn = { FunctionName: t.functionName };
    const variant = { EndpointName: t.endpointName, VariantName: t.variantName };
    const stream = { DeliveryStreamName: t.streamName };
    const m = (
      namespace: string,
      metricName: string,
      dimensionsMap: Record<string, string>,
      statistic: string,
      label?: string,
    ) =>
      new cw.Metric({
        namespace,
        metricName,
        dimensionsMap,
        statistic,
        period: Duration.minutes(1),
        ...(label ? { label } : {}),
      });
    const graph = (title: string, left: cw.IMetric[], right: cw.IMetric[] = []) =>
      new cw.GraphWidget({ title, left, right, width: 8, height: 6 });
    const app = (name: string, stat: string, dims = 'service') =>
      search(`{${APP_NAMESPACE},${dims}} MetricName="${name}"`, stat, `${name} ${stat}`);

    return [
      new cw.TextWidget({
        markdown: `# lead-scoring ${env.name}\nRunbooks: docs/operations.md. Alarms notify the SNS topic lead-scoring-${env.name}-alarms.`,
        width: 24,
        height: 2,
      }),
      graph(
        'API requests and errors',
        [m('AWS/ApiGateway', 'Count', api, 'Sum', 'requests')],
        [
          m('AWS/ApiGateway', '4XXError', api, 'Average', '4xx rate'),
          m('AWS/ApiGateway', '5XXError', api, 'Average', '5xx rate'),
        ],
      ),
      graph('API latency (ms)', [
        m('AWS/ApiGateway', 'Latency', api, 'p50', 'p50'),
        m('AWS/ApiGateway', 'Latency', api, 'p99', 'p99'),
        m('AWS/ApiGateway', 'IntegrationLatency', api, 'p99', 'integration p99'),
      ]),
      graph(
        'Lambda',
        [
          m('AWS/Lambda', 'Invocations', fn, 'Sum'),
          m('AWS/Lambda', 'Errors', fn, 'Sum'),
          m('AWS/Lambda', 'Throttles', fn, 'Sum'),
        ],
        [
          m('AWS/Lambda', 'ConcurrentExecutions', fn, 'Maximum'),
          m('AWS/Lambda', 'Duration', fn, 'p99', 'duration p99'),
        ],
      ),
      graph(
        'SageMaker endpoint',
        [m('AWS/SageMaker', 'Invocations', variant, 'Sum'), m('AWS/SageMaker', 'Invocation5XXErrors', variant, 'Sum')],
        [
          m('AWS/SageMaker', 'ModelLatency', variant, 'p99', 'ModelLatency p99 (µs)'),
          m('AWS/SageMaker', 'OverheadLatency', variant, 'p99', 'OverheadLatency p99 (µs)'),
        ],
      ),
      graph(
        'Firehose → S3 (Parquet)',
        [m('AWS/Firehose', 'IncomingRecords', stream, 'Sum'), m('AWS/Firehose', 'DeliveryToS3.Records', stream, 'Sum')],
        [
          m('AWS/Firehose', 'DeliveryToS3.Success', stream, 'Average'),
          m('AWS/Firehose', 'FailedConversion.Records', stream, 'Sum'),
          m('AWS/Firehose', 'DeliveryToS3.DataFreshness', stream, 'Maximum', 'data freshness (s)'),
        ],
      ),
      graph(
        'App latency (ms, EMF)',
        [app('RequestLatency', 'p99'), app('ModelLatency', 'p99')],
        [app('BatchSize', 'Average')],
      ),
      graph(
        'Scores and fallbacks',
        [1, 2, 3, 4, 5].map((s) => app(`Score${s}`, 'Sum')),
        [app('ScorerFallbacks', 'Sum'), app('CircuitOpen', 'Sum')],
      ),
      graph(
        'Lake writes (EMF)',
        [app('LakeRecordsWritten', 'Sum'), app('LakeRecordsFallback', 'Sum')],
        [app('LakeRecordsFailed', 'Sum'), app('LakeRecordsUnplaced', 'Sum'), app('LakeRecordsDropped', 'Sum')],
      ),
      // The total and one line per metric `FeatureWarnings.<feature>.<CODE>`: the search matches the name's tokens.
      graph(
        'Data quality (EMF)',
        [search(`{${APP_NAMESPACE},service} FeatureWarnings`, 'Sum', 'flagged')],
        [app('InvalidLeads', 'Sum')],
      ),
      new cw.GraphWidget({
        title: 'Drift: max PSI over features',
        left: [
          new cw.MathExpression({
            expression: `SELECT MAX(DriftPsiMax) FROM ${APP_NAMESPACE}`,
            usingMetrics: {},
            label: 'DriftPsiMax',
            period: Duration.minutes(5),
          }),
        ],
        leftAnnotations: [
          { value: 0.1, label: 'watch', color: '#ff7f0e' },
          { value: env.alarms.driftPsiMax, label: 'alarm', color: '#d62728' },
        ],
        width: 8,
        height: 6,
      }),
      new cw.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24, height: 4 }),
    ];
  }
}
