import { DynamoAuditLog } from '../shared/adapters/dynamo-audit-log.js';
import { DynamoSubmissionStore } from '../shared/adapters/dynamo-submission-store.js';
import { SesMailer } from '../shared/adapters/ses-mailer.js';
import { NotifyEnvironmentSchema, parseEnvironment } from '../shared/config/environment.js';
import { NotifyInputSchema } from '../shared/config/workflow.js';
import { documentClient, sesClient } from '../shared/lambda/clients.js';
import { logger } from '../shared/lambda/logger.js';
import { taskHandler } from '../shared/lambda/task-handler.js';
import { type NotifyDependencies, notifyDrafter } from '../shared/submissions/index.js';

const environment = parseEnvironment(NotifyEnvironmentSchema);

const dependencies: NotifyDependencies = {
  submissions: new DynamoSubmissionStore({ client: documentClient(), tableName: environment.TABLE_NAME }),
  audit: new DynamoAuditLog({ client: documentClient(), tableName: environment.TABLE_NAME }),
  mailer: new SesMailer({ client: sesClient(), from: environment.MAIL_FROM }),
  now: () => new Date(),
};

/** Task Notify: mails the drafter the outcome. Returns nothing the workflow reads. */
export const handler = taskHandler(NotifyInputSchema, async (input) => {
  const result = await notifyDrafter(dependencies, input);
  logger.info('drafter notified', { outcome: input.outcome, sent: result.sent });
  return {};
});
