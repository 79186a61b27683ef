import { DynamoSequenceAllocator } from '../shared/adapters/dynamo-sequence-allocator.js';
import { DynamoSubmissionStore } from '../shared/adapters/dynamo-submission-store.js';
import { S3ObjectStore } from '../shared/adapters/s3-object-store.js';
import { PublishEnvironmentSchema, parseEnvironment } from '../shared/config/environment.js';
import { PublishInputSchema } from '../shared/config/workflow.js';
import { documentClient, s3Client } from '../shared/lambda/clients.js';
import { logger } from '../shared/lambda/logger.js';
import { taskHandler } from '../shared/lambda/task-handler.js';
import { publishRevision } from '../shared/publication/index.js';

const env = parseEnvironment(PublishEnvironmentSchema);

/** Task Publish: 索引号, bundle files, then the manifest. The revision stays SCHEDULED until Verify passes. */
export const handler = taskHandler(PublishInputSchema, async (input) => {
  const table = { client: documentClient(), tableName: env.TABLE_NAME };
  const result = await publishRevision(input, {
    submissions: new DynamoSubmissionStore(table),
    sequences: new DynamoSequenceAllocator(table),
    work: new S3ObjectStore({ client: s3Client(), bucket: env.WORK_BUCKET }),
    published: new S3ObjectStore({ client: s3Client(), bucket: env.PUBLISHED_BUCKET }),
    now: () => new Date(),
  });
  logger.info('bundle written', { bundleId: result.bundleId, indexNumber: result.indexNumber });
  return result;
});
