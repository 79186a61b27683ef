import { DynamoApprovalStore } from '../shared/adapters/dynamo-approval-store.js';
import { DynamoAuditLog } from '../shared/adapters/dynamo-audit-log.js';
import { DynamoSubmissionStore } from '../shared/adapters/dynamo-submission-store.js';
import { SesMailer } from '../shared/adapters/ses-mailer.js';
import { SfnWorkflow } from '../shared/adapters/sfn-workflow.js';
import { parseEnvironment, RequestApprovalEnvironmentSchema } from '../shared/config/environment.js';
import { RequestApprovalInputSchema } from '../shared/config/workflow.js';
import { documentClient, sesClient, sfnClient } from '../shared/lambda/clients.js';
import { logger } from '../shared/lambda/logger.js';
import { taskHandler } from '../shared/lambda/task-handler.js';
import { EmfReviewMetrics, requestApproval } from '../shared/review/index.js';

const environment = parseEnvironment(RequestApprovalEnvironmentSchema);

/**
 * Task RequestApproval (`waitForTaskToken`): mails one fresh approval link per approver of the step
 * (a reminder when `attempt > 0`) and stores only the hashes with the task token. The task ends when
 * an approver decides on the approval page — or here, when the step was decided before this
 * (retried) invocation got its token.
 */
export const handler = taskHandler(RequestApprovalInputSchema, async (input) => {
  const client = documentClient();
  const tableName = environment.TABLE_NAME;
  logger.appendKeys({ stepId: input.stepId, attempt: input.attempt });
  await requestApproval(input, {
    submissions: new DynamoSubmissionStore({ client, tableName }),
    approvals: new DynamoApprovalStore({ client, tableName }),
    audit: new DynamoAuditLog({ client, tableName }),
    // Answering a task needs only its token: no state machine ARN.
    workflow: new SfnWorkflow({ client: sfnClient(), stateMachineArn: '' }),
    mailer: new SesMailer({ client: sesClient(), from: environment.MAIL_FROM }),
    metrics: new EmfReviewMetrics({ namespace: environment.METRICS_NAMESPACE }),
    approvalBaseUrl: environment.APPROVAL_BASE_URL,
    logger,
  });
  // The state machine discards this result; the decision arrives through the task token.
  return {};
});
