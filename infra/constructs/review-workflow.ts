import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import {
  MAX_REMINDERS,
  STATE_MACHINE_NAME,
  SUBMISSION_REJECTED_ERRORS,
  WorkflowErrors,
} from '../../shared/config/workflow.js';
import { acknowledgeWildcardResources } from './gongkai-function.js';

/** The task functions of the review workflow, by handler name. */
export type WorkflowFunctionName =
  | 'validate'
  | 'deidentify'
  | 'request-approval'
  | 'publish'
  | 'verify'
  | 'notify'
  | 'record-status';

/** A task function and how long one invocation may run. */
export interface WorkflowFunction {
  readonly function: lambda.IFunction;
  /** The Lambda timeout; the Task's TimeoutSeconds is this plus a margin for the invoke itself. */
  readonly timeout: Duration;
}

/** Lambda service errors worth retrying: the function did not run, or was throttled. */
export const LAMBDA_SERVICE_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Lambda.ClientExecutionTimeoutException',
];

const LAMBDA_RETRY: sfn.RetryProps = {
  errors: LAMBDA_SERVICE_ERRORS,
  interval: Duration.seconds(2),
  maxAttempts: 6,
  backoffRate: 2,
  maxDelay: Duration.seconds(60),
  jitterStrategy: sfn.JitterType.FULL,
};

/**
 * Errors a handler passes on from S3 or DynamoDB when the service was briefly unavailable or
 * throttled, after the SDK's own retries. Every task handler is idempotent (a re-run with the same
 * input changes nothing; test/resilience/idempotency.ts), so the task is run again rather than the
 * revision failing — a handler's own errors (its decisions) are still never retried.
 */
export const TRANSIENT_SERVICE_ERRORS = [
  'ServiceUnavailable',
  'SlowDown',
  'InternalError',
  'InternalServerError',
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'TimeoutError',
  'RequestTimeout',
];

const TRANSIENT_RETRY: sfn.RetryProps = {
  errors: TRANSIENT_SERVICE_ERRORS,
  interval: Duration.seconds(1),
  maxAttempts: 4,
  backoffRate: 2,
  maxDelay: Duration.seconds(20),
  jitterStrategy: sfn.JitterType.FULL,
};

/** Extra time a Task allows over its function's own timeout (invoke overhead, cold start). */
const TASK_TIMEOUT_MARGIN = Duration.seconds(30);

const CATCH_ALL = ['States.ALL'];
const ERROR_PATH = '$.error';

const executionIds = {
  submissionId: sfn.JsonPath.stringAt('$.submissionId'),
  revision: sfn.JsonPath.numberAt('$.revision'),
};

/**
 * Builds the review state machine's definition (JSONPath only; only ids, keys and small flags in state).
 *
 * ```
 * Validate ─► RouteByAttribute ─┬─ ON_REQUEST / NOT_DISCLOSED ─► RegistrationReview ─► RecordRegistered ─► NotifyRegistered ─► Registered
 *                               ├─ PROACTIVE / AFTER_REDACTION ─► Deidentify ─► ReleaseReview ─► RecordScheduled ─► WaitForRelease
 *                               │                                  ─► Publish ─► Verify ─► RecordPublished ─► NotifyPublished ─► Published
 *                               └─ (anything else) ─► UnknownAttribute ─► RecordUnknownAttribute ─► Failed
 * *Review = Map over $.validation.reviewSteps, one at a time:
 *   RequestApproval (waitForTaskToken, TimeoutSecondsPath $.timeoutSeconds)
 *     └ States.Timeout ─► ReminderOrExpire ─┬─ attempt < MAX_REMINDERS ─► NextReminder (attempt+1) ─► RequestApproval
 *                                           └─ otherwise ─► RecordReviewExpired ─► ReviewExpired (Fail)
 * ReviewRejected (from a Map) / SUBMISSION_REJECTED_ERRORS (from Validate) ─► Record…Returned ─► NotifyReturned ─► Returned
 * any other error ─► RecordFailed ─► Failed;  a Notify error ─► RecordNotifyFailed ─► Failed
 * ```
 *
 * Exported so tests and the local runner see the same definition the stack deploys.
 */
export function buildReviewDefinition(
  scope: Construct,
  functions: Readonly<Record<WorkflowFunctionName, WorkflowFunction>>,
): sfn.IChainable {
  const fn = (name: WorkflowFunctionName): WorkflowFunction => functions[name];

  /** A `lambda:invoke` Task with the project's Retry and an explicit timeout; result discarded unless selected. */
  const invoke = (
    id: string,
    name: WorkflowFunctionName,
    payload: Record<string, unknown>,
    output?: { resultSelector: Record<string, string>; resultPath: string },
  ): tasks.LambdaInvoke => {
    const target = fn(name);
    const task = tasks.LambdaInvoke.jsonPath(scope, id, {
      lambdaFunction: target.function,
      payload: sfn.TaskInput.fromObject(payload),
      payloadResponseOnly: false,
      retryOnServiceExceptions: false,
      taskTimeout: sfn.Timeout.duration(target.timeout.plus(TASK_TIMEOUT_MARGIN)),
      resultSelector: output?.resultSelector,
      resultPath: output?.resultPath ?? sfn.JsonPath.DISCARD,
    });
    task.addRetry(LAMBDA_RETRY);
    task.addRetry(TRANSIENT_RETRY);
    return task;
  };

  const recordStatus = (
    id: string,
    status: string,
    reason: string,
    extra: Record<string, unknown> = { error: sfn.JsonPath.objectAt(ERROR_PATH) },
  ) => invoke(id, 'record-status', { ...executionIds, status, reason, ...extra });

  // ── terminal states ─────────────────────────────────────────────────────────────────────────────
  const failed = new sfn.Fail(scope, 'Failed', {
    error: WorkflowErrors.EXECUTION_FAILED,
    cause: 'A step failed; the revision was recorded as FAILED (see its audit trail).',
  });
  const reviewExpiredFail = new sfn.Fail(scope, 'ReviewExpiredFailed', {
    error: WorkflowErrors.REVIEW_EXPIRED,
    cause:
      'No approval decision after the last reminder; the revision was recorded as FAILED (REVIEW_EXPIRED).',
  });

  // ── FAILED path ─────────────────────────────────────────────────────────────────────────────────
  const recordFailed = recordStatus('RecordFailed', 'FAILED', 'TASK_FAILED');
  // Nothing is left to record a failure of the recorder itself with: end failed (the alarm fires).
  recordFailed.addCatch(failed, { errors: CATCH_ALL, resultPath: '$.recordError' });
  recordFailed.next(failed);
  const catchIntoFailed = (state: tasks.LambdaInvoke | sfn.Map) =>
    state.addCatch(recordFailed, { errors: CATCH_ALL, resultPath: ERROR_PATH });

  const recordNotifyFailed = recordStatus('RecordNotifyFailed', 'FAILED', 'NOTIFY_FAILED');
  recordNotifyFailed.addCatch(failed, { errors: CATCH_ALL, resultPath: '$.recordError' });
  recordNotifyFailed.next(failed);

  const notify = (id: string, outcome: string, extra: Record<string, unknown> = {}) => {
    const task = invoke(id, 'notify', { ...executionIds, outcome, ...extra });
    task.addCatch(recordNotifyFailed, { errors: CATCH_ALL, resultPath: ERROR_PATH });
    return task;
  };

  // ── RETURNED path (a rejection ends the revision; the comment lives in DynamoDB) ───────────────
  const notifyReturned = notify('NotifyReturned', 'RETURNED');
  notifyReturned.next(new sfn.Succeed(scope, 'Returned'));
  const recordReviewReturned = recordStatus('RecordReviewReturned', 'RETURNED', 'REVIEW_REJECTED');
  catchIntoFailed(recordReviewReturned);
  recordReviewReturned.next(notifyReturned);
  const recordValidationReturned = recordStatus(
    'RecordValidationReturned',
    'RETURNED',
    'SUBMISSION_REJECTED',
  );
  catchIntoFailed(recordValidationReturned);
  recordValidationReturned.next(notifyReturned);

  // ── review: one Map per branch, so the registration branch has no edge towards Publish ─────────
  const review = (prefix: string): sfn.Map => {
    const requestApproval = tasks.LambdaInvoke.jsonPath(scope, `${prefix}RequestApproval`, {
      lambdaFunction: fn('request-approval').function,
      integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: sfn.TaskInput.fromObject({
        ...executionIds,
        stepId: sfn.JsonPath.stringAt('$.stepId'),
        attempt: sfn.JsonPath.numberAt('$.attempt'),
        taskToken: sfn.JsonPath.taskToken,
      }),
      retryOnServiceExceptions: false,
      // Each request (and each reminder) waits this step's own time limit for a decision.
      taskTimeout: sfn.Timeout.at('$.timeoutSeconds'),
      resultPath: sfn.JsonPath.DISCARD,
    });
    requestApproval.addRetry(LAMBDA_RETRY);
    requestApproval.addRetry(TRANSIENT_RETRY);

    const nextReminder = new sfn.Pass(scope, `${prefix}NextReminder`, {
      parameters: {
        ...executionIds,
        stepId: sfn.JsonPath.stringAt('$.stepId'),
        timeoutSeconds: sfn.JsonPath.numberAt('$.timeoutSeconds'),
        attempt: sfn.JsonPath.mathAdd(sfn.JsonPath.numberAt('$.attempt'), 1),
      },
    });
    nextReminder.next(requestApproval);

    const stepFailed = new sfn.Fail(scope, `${prefix}ReviewStepFailed`, {
      error: WorkflowErrors.REVIEW_STEP_FAILED,
      cause: 'Recording the expired review failed; the FAILED path records the revision.',
    });
    const recordExpired = recordStatus(`${prefix}RecordReviewExpired`, 'FAILED', 'REVIEW_EXPIRED', {
      stepId: sfn.JsonPath.stringAt('$.stepId'),
      error: sfn.JsonPath.objectAt(ERROR_PATH),
    });
    recordExpired.addCatch(stepFailed, { errors: CATCH_ALL, resultPath: ERROR_PATH });
    recordExpired.next(
      new sfn.Fail(scope, `${prefix}ReviewExpired`, {
        error: WorkflowErrors.REVIEW_EXPIRED,
        cause: 'No approval decision after the last reminder; the links are revoked.',
      }),
    );

    const reminderOrExpire = new sfn.Choice(scope, `${prefix}ReminderOrExpire`)
      .when(sfn.Condition.numberLessThan('$.attempt', MAX_REMINDERS), nextReminder)
      .otherwise(recordExpired);
    // Only the timeout is handled inside an iteration; ReviewRejected and every other error end the
    // iteration and so the Map, whose Catch routes them.
    requestApproval.addCatch(reminderOrExpire, { errors: ['States.Timeout'], resultPath: ERROR_PATH });

    const map = sfn.Map.jsonPath(scope, `${prefix}Review`, {
      itemsPath: '$.validation.reviewSteps',
      maxConcurrency: 1,
      itemSelector: {
        ...executionIds,
        stepId: sfn.JsonPath.stringAt('$$.Map.Item.Value.stepId'),
        timeoutSeconds: sfn.JsonPath.numberAt('$$.Map.Item.Value.timeoutSeconds'),
        attempt: 0,
      },
      resultPath: sfn.JsonPath.DISCARD,
    });
    map.itemProcessor(requestApproval);
    map.addCatch(recordReviewReturned, { errors: [WorkflowErrors.REVIEW_REJECTED], resultPath: ERROR_PATH });
    map.addCatch(reviewExpiredFail, { errors: [WorkflowErrors.REVIEW_EXPIRED], resultPath: ERROR_PATH });
    map.addCatch(recordFailed, { errors: CATCH_ALL, resultPath: ERROR_PATH });
    return map;
  };

  // ── registration branch: 依申请公开 / 不予公开, reviewed and registered, never published ─────────
  const recordRegistered = recordStatus('RecordRegistered', 'REGISTERED', 'REVIEW_APPROVED', {});
  catchIntoFailed(recordRegistered);
  const registration = review('Registration')
    .next(recordRegistered)
    .next(notify('NotifyRegistered', 'REGISTERED'))
    .next(new sfn.Succeed(scope, 'Registered'));

  // ── release branch: 主动公开 / 删减后公开 ─────────────────────────────────────────────────────
  const deidentify = invoke('Deidentify', 'deidentify', { ...executionIds });
  catchIntoFailed(deidentify);
  const recordScheduled = recordStatus('RecordScheduled', 'SCHEDULED', 'REVIEW_APPROVED', {});
  catchIntoFailed(recordScheduled);
  const waitForRelease = new sfn.Wait(scope, 'WaitForRelease', {
    time: sfn.WaitTime.timestampPath('$.validation.releaseAt'),
  });
  const publish = invoke(
    'Publish',
    'publish',
    { ...executionIds },
    {
      resultSelector: { 'bundleId.$': '$.Payload.bundleId', 'indexNumber.$': '$.Payload.indexNumber' },
      resultPath: '$.publication',
    },
  );
  catchIntoFailed(publish);
  const verify = invoke('Verify', 'verify', {
    ...executionIds,
    bundleId: sfn.JsonPath.stringAt('$.publication.bundleId'),
  });
  catchIntoFailed(verify);
  const recordPublished = recordStatus('RecordPublished', 'PUBLISHED', 'BUNDLE_VERIFIED', {});
  catchIntoFailed(recordPublished);
  const release = deidentify
    .next(review('Release'))
    .next(recordScheduled)
    .next(waitForRelease)
    .next(publish)
    .next(verify)
    .next(recordPublished)
    .next(
      notify('NotifyPublished', 'PUBLISHED', { bundleId: sfn.JsonPath.stringAt('$.publication.bundleId') }),
    )
    .next(new sfn.Succeed(scope, 'Published'));

  // ── a 公开属性 the Choice does not know is a failure, recorded like any other ──────────────────
  const recordUnknownAttribute = recordStatus('RecordUnknownAttribute', 'FAILED', 'UNKNOWN_ATTRIBUTE');
  recordUnknownAttribute.addCatch(failed, { errors: CATCH_ALL, resultPath: '$.recordError' });
  recordUnknownAttribute.next(failed);
  const unknownAttribute = new sfn.Pass(scope, 'UnknownAttribute', {
    result: sfn.Result.fromObject({
      Error: WorkflowErrors.UNKNOWN_ATTRIBUTE,
      Cause: 'Validate returned a disclosure attribute the workflow does not route.',
    }),
    resultPath: ERROR_PATH,
  }).next(recordUnknownAttribute);

  const route = new sfn.Choice(scope, 'RouteByAttribute')
    .when(
      sfn.Condition.or(
        sfn.Condition.stringEquals('$.validation.attribute', 'ON_REQUEST'),
        sfn.Condition.stringEquals('$.validation.attribute', 'NOT_DISCLOSED'),
      ),
      registration,
    )
    .when(
      sfn.Condition.or(
        sfn.Condition.stringEquals('$.validation.attribute', 'PROACTIVE'),
        sfn.Condition.stringEquals('$.validation.attribute', 'AFTER_REDACTION'),
      ),
      release,
    )
    .otherwise(unknownAttribute);

  const validate = invoke(
    'Validate',
    'validate',
    { ...executionIds },
    {
      resultSelector: {
        'attribute.$': '$.Payload.attribute',
        'releaseAt.$': '$.Payload.releaseAt',
        'reviewSteps.$': '$.Payload.reviewSteps',
      },
      resultPath: '$.validation',
    },
  );
  validate.addCatch(recordValidationReturned, {
    errors: [...SUBMISSION_REJECTED_ERRORS],
    resultPath: ERROR_PATH,
  });
  catchIntoFailed(validate);

  return validate.next(route);
}

/** Properties of the {@link ReviewWorkflow}. */
export interface ReviewWorkflowProps {
  readonly functions: Readonly<Record<WorkflowFunctionName, WorkflowFunction>>;
  /** @default {@link STATE_MACHINE_NAME} */
  readonly stateMachineName?: string;
  /** @default one month */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * The review workflow: one Standard execution per submission revision (execution name
 * `<submissionId>-r<revision>`, set by the submit handler), logged without execution data (the
 * state holds only ids, but error causes are not ours to vouch for) and traced with X-Ray.
 */
export class ReviewWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ReviewWorkflowProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: props.stateMachineName ?? STATE_MACHINE_NAME,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(buildReviewDefinition(this, props.functions)),
      tracingEnabled: true,
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });

    const invokeAnyVersion = Object.values(props.functions).map(
      (target) => `${target.function.functionArn}:*`,
    );
    acknowledgeWildcardResources(
      this.stateMachine,
      invokeAnyVersion,
      'lambda:InvokeFunction on "<function ARN>:*" is how the LambdaInvoke task grants invocation of that one function with a version or alias qualifier; each entry names one function.',
    );
    Validations.of(this.stateMachine).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only the CloudWatch Logs delivery actions (logs:CreateLogDelivery, …, DescribeLogGroups) and X-Ray actions that the state machine logging and tracing need use "*": they do not support resource-level permissions.',
    });
  }
}
