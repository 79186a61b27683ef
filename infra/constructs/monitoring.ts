import { Duration, Stack } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { APPROVALS_NEAR_DEADLINE_METRIC } from '../../shared/config/workflow.js';
import type { GongkaiFunction } from './gongkai-function.js';

/** Properties of {@link Monitoring}. */
export interface MonitoringProps {
  readonly stateMachine: sfn.IStateMachine;
  readonly functions: readonly GongkaiFunction[];
  readonly httpApi: apigwv2.HttpApi;
  /** E-mail address subscribed to the alarm topic. @default no subscription */
  readonly alarmEmail?: string;
  /** Dashboard name. @default the stack name */
  readonly dashboardName?: string;
}

/**
 * Alarms (failed executions, each function's errors, approvals near their deadline, API 5xx) to an
 * encrypted SNS topic, and one dashboard.
 */
export class Monitoring extends Construct {
  readonly alarmTopic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;
  /** The metric request-approval publishes on every reminder (an approval that has run out of time once). */
  readonly approvalsNearDeadline: cloudwatch.Metric;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);

    // CloudWatch cannot publish to a topic encrypted with the AWS managed SNS key: use our own.
    const topicKey = new kms.Key(this, 'AlarmTopicKey', {
      description: 'gongkai: encrypts the alarm topic',
      enableKeyRotation: true,
    });
    topicKey.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
      }),
    );
    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      displayName: 'gongkai alarms',
      masterKey: topicKey,
      enforceSSL: true,
    });
    if (props.alarmEmail)
      this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    const notify = new actions.SnsAction(this.alarmTopic);

    const alarm = (alarmId: string, metric: cloudwatch.IMetric, description: string, threshold = 1) => {
      const created = new cloudwatch.Alarm(this, alarmId, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      created.addAlarmAction(notify);
      this.alarms.push(created);
      return created;
    };

    const failed = props.stateMachine.metricFailed({ period: Duration.minutes(5), statistic: 'Sum' });
    const timedOut = props.stateMachine.metricTimedOut({ period: Duration.minutes(5), statistic: 'Sum' });
    alarm(
      'ExecutionsFailed',
      failed,
      'A review execution failed. Its revision was recorded as FAILED; read its audit trail and the execution history.',
    );
    alarm('ExecutionsTimedOut', timedOut, 'A review execution timed out.');

    this.approvalsNearDeadline = new cloudwatch.Metric({
      namespace: APPROVALS_NEAR_DEADLINE_METRIC.namespace,
      metricName: APPROVALS_NEAR_DEADLINE_METRIC.metricName,
      statistic: 'Sum',
      period: Duration.hours(1),
    });
    alarm(
      'ApprovalsNearDeadline',
      this.approvalsNearDeadline,
      'An approver did not decide within a review step’s time limit and was reminded; the review expires after the last reminder.',
    );

    const functionErrors: cloudwatch.IMetric[] = [];
    for (const fn of props.functions) {
      const errors = fn.function.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' });
      functionErrors.push(errors);
      alarm(`${fn.node.id}Errors`, errors, `Function ${fn.name} reported errors.`);
    }

    const api5xx = new cloudwatch.Metric({
      namespace: 'AWS/ApiGateway',
      metricName: '5xx',
      dimensionsMap: { ApiId: props.httpApi.apiId },
      statistic: 'Sum',
      period: Duration.minutes(5),
    });
    alarm('Api5xx', api5xx, 'The HTTP API answered with server errors.', 5);
    const api4xx = new cloudwatch.Metric({
      namespace: 'AWS/ApiGateway',
      metricName: '4xx',
      dimensionsMap: { ApiId: props.httpApi.apiId },
      statistic: 'Sum',
      period: Duration.minutes(5),
    });

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName ?? Stack.of(this).stackName,
      defaultInterval: Duration.days(7),
    });
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Review executions',
        left: [
          props.stateMachine.metricStarted({ period: Duration.hours(1), statistic: 'Sum' }),
          props.stateMachine.metricSucceeded({ period: Duration.hours(1), statistic: 'Sum' }),
          props.stateMachine.metricFailed({ period: Duration.hours(1), statistic: 'Sum' }),
          props.stateMachine.metricAborted({ period: Duration.hours(1), statistic: 'Sum' }),
        ],
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'Approvals near their deadline (reminders sent)',
        left: [this.approvalsNearDeadline],
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'Function errors', left: functionErrors, width: 12 }),
      new cloudwatch.GraphWidget({
        title: 'Function duration (p95)',
        left: props.functions.map((fn) => fn.function.metricDuration({ statistic: 'p95' })),
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'HTTP API errors', left: [api4xx, api5xx], width: 12 }),
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 12 }),
    );
  }
}
