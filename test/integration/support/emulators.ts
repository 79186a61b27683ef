import {
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
  type RunningEmulator,
  startDynamo,
  startS3,
} from '../../../infra/local/emulators.js';
import { type LocalTemplate, synthesizeLocalTemplate } from '../../../infra/local/template.js';
import { createDocumentClient, createS3Client } from '../../../shared/adapters/aws-clients.js';
import { removeDataDir, temporaryDataDir } from './local-system.js';

let template: Promise<LocalTemplate> | undefined;

/** The synthesized template, once per test file. */
export function localTemplate(): Promise<LocalTemplate> {
  template ??= synthesizeLocalTemplate();
  return template;
}

/** dynalite with the template's table, in a temporary folder; its document client and table name. */
export async function startTestDynamo() {
  const dataDir = await temporaryDataDir();
  const { table } = await localTemplate();
  const emulator: RunningEmulator = await startDynamo({ directory: dataDir, port: 0, table });
  const client = createDocumentClient({
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    endpoints: { dynamodb: emulator.endpoint },
  });
  return {
    client,
    tableName: table.name,
    emulator,
    stop: async () => {
      client.destroy();
      await emulator.close();
      await removeDataDir(dataDir);
    },
  };
}

/** s3rver with the template's buckets, in a temporary folder; its client and bucket names by variable. */
export async function startTestS3() {
  const dataDir = await temporaryDataDir();
  const { buckets, resourceVariables } = await localTemplate();
  const emulator = await startS3({ directory: dataDir, port: 0, buckets });
  const client = createS3Client({
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    endpoints: { s3: emulator.endpoint },
    forcePathStyle: true,
  });
  return {
    client,
    buckets: resourceVariables,
    emulator,
    stop: async () => {
      client.destroy();
      await emulator.close();
      await removeDataDir(dataDir);
    },
  };
}
