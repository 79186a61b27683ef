import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import type { BucketSpec, TableSpec } from './template.js';

/**
 * The two third-party emulators, started in-process on loopback: dynalite (DynamoDB, LevelDB on
 * disk) and s3rver (S3, files on disk). Both keep their data across restarts.
 */

const require = createRequire(import.meta.url);

/** Credentials s3rver knows; local mode uses them for every service. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;
export const LOCAL_REGION = 'us-east-1';

/** A running emulator. */
export interface RunningEmulator {
  readonly endpoint: string;
  readonly port: number;
  close(): Promise<void>;
}

type DynaliteFactory = (options: {
  path?: string;
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
}) => Server;

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Starts dynalite with its LevelDB under `directory` and creates the table from the template if it is missing. */
export async function startDynamo(options: {
  directory: string;
  port: number;
  table: TableSpec;
}): Promise<RunningEmulator> {
  const dynalite = require('dynalite') as DynaliteFactory;
  const server = dynalite({ path: options.directory, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const port = await listen(server, options.port);
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  try {
    await ensureTable(client, options.table);
  } finally {
    client.destroy();
  }
  return { endpoint, port, close: () => closeServer(server) };
}

async function ensureTable(client: DynamoDBClient, table: TableSpec): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: table.name }));
    return;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  await client.send(
    new CreateTableCommand({
      TableName: table.name,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: table.keySchema,
      AttributeDefinitions: table.attributeDefinitions,
      ...(table.globalSecondaryIndexes.length === 0
        ? {}
        : { GlobalSecondaryIndexes: table.globalSecondaryIndexes }),
    }),
  );
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: table.name }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`Table ${table.name} did not become ACTIVE in dynalite.`);
}

function escapeXml(value: unknown): string {
  return String(value).replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** A template CORS rule set as the S3 PutBucketCors XML s3rver reads at start. */
export function corsXml(rules: readonly Record<string, unknown>[]): string {
  const list = (tag: string, values: unknown) =>
    (Array.isArray(values) ? values : []).map((value) => `<${tag}>${escapeXml(value)}</${tag}>`).join('');
  const body = rules
    .map(
      (rule) =>
        `<CORSRule>${list('AllowedOrigin', rule.AllowedOrigins)}${list('AllowedMethod', rule.AllowedMethods)}` +
        `${list('AllowedHeader', rule.AllowedHeaders)}${list('ExposeHeader', rule.ExposedHeaders)}` +
        `${rule.MaxAge === undefined ? '' : `<MaxAgeSeconds>${escapeXml(rule.MaxAge)}</MaxAgeSeconds>`}</CORSRule>`,
    )
    .join('');
  return `<CORSConfiguration>${body}</CORSConfiguration>`;
}

interface S3rverInstance {
  /** Resolves to the listening address. */
  run(): Promise<AddressInfo>;
  httpServer: Server;
  close(): Promise<void>;
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;

/** Starts s3rver with its files under `directory` and every bucket of the template (with its CORS rules). */
export async function startS3(options: {
  directory: string;
  port: number;
  buckets: BucketSpec[];
}): Promise<RunningEmulator> {
  const S3rver = require('s3rver') as S3rverClass;
  const instance = new S3rver({
    address: '127.0.0.1',
    port: options.port,
    silent: true,
    directory: options.directory,
    vhostBuckets: false,
    configureBuckets: options.buckets.map((bucket) => ({
      name: bucket.name,
      configs: bucket.corsRules.length === 0 ? [] : [corsXml(bucket.corsRules)],
    })),
  });
  const { port } = await instance.run();
  const server = instance.httpServer;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    close: async () => {
      server.closeAllConnections();
      await instance.close();
    },
  };
}
