/**
 * Stateful stand-ins for DynamoDB (document client) and S3 behind `aws-sdk-client-mock`, so handler
 * tests run the real adapters (conditional writes, the sequence allocator, paging) without a network.
 * Each call yields to the event loop first, so concurrent invocations really interleave.
 *
 * The DynamoDB side understands the expressions gongkai's adapters use: conditions made of
 * `attribute_exists(a)`, `attribute_not_exists(a)`, `a = :v`, `a <= :v`, `a > :v` joined by AND / OR;
 * `SET path = :v, …` and `REMOVE path` updates; key conditions with `=` and `>` on a table or index.
 */
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { awsError } from './fakes.js';

/** The stub types `mockClient` returns for each client (the functions only name the types). */
const dynamoStub = (client: DynamoDBDocumentClient) => mockClient(client);
const s3Stub = (client: S3Client) => mockClient(client);
type DynamoStub = ReturnType<typeof dynamoStub>;
type S3Stub = ReturnType<typeof s3Stub>;

type Item = Record<string, unknown>;
type Names = Record<string, string> | undefined;
type Values = Record<string, unknown> | undefined;

const tick = () => new Promise((resolve) => setImmediate(resolve));

function path(expression: string, names: Names): string[] {
  return expression
    .trim()
    .split('.')
    .map((part) => (part.startsWith('#') ? (names?.[part] ?? part) : part));
}

function read(item: Item | undefined, at: string[]): unknown {
  let node: unknown = item;
  for (const part of at) node = node === undefined || node === null ? undefined : (node as Item)[part];
  return node;
}

function evaluate(
  expression: string | undefined,
  item: Item | undefined,
  names: Names,
  values: Values,
): boolean {
  if (expression === undefined) return true;
  return expression.split(/\s+OR\s+/).some((alternative) =>
    alternative.split(/\s+AND\s+/).every((term) => {
      const exists = /^attribute_(not_)?exists\(([^)]+)\)$/.exec(term.trim());
      if (exists !== null) {
        const present = read(item, path(exists[2] ?? '', names)) !== undefined;
        return exists[1] === undefined ? present : !present;
      }
      const comparison = /^(\S+)\s*(=|<=|>)\s*(:\w+)$/.exec(term.trim());
      if (comparison === null) throw new Error(`fake table cannot evaluate "${term}"`);
      const left = read(item, path(comparison[1] ?? '', names)) as string | number | undefined;
      const right = values?.[comparison[3] ?? ''] as string | number;
      if (left === undefined) return false;
      if (comparison[2] === '=') return left === right;
      if (comparison[2] === '<=') return left <= right;
      return left > right;
    }),
  );
}

/** A single DynamoDB table in memory. */
export class FakeTable {
  readonly items = new Map<string, Item>();

  private keyOf(key: Item): string {
    return `${String(key.pk)}|${String(key.sk)}`;
  }

  get(key: Item): Item | undefined {
    const item = this.items.get(this.keyOf(key));
    return item === undefined ? undefined : structuredClone(item);
  }

  put(item: Item): void {
    this.items.set(this.keyOf(item), structuredClone(item));
  }

  /** Routes the document client's Get, Put, Update and Query through this table. */
  install(ddb: DynamoStub): void {
    ddb.on(GetCommand).callsFake(async (input: { Key: Item }) => {
      await tick();
      const item = this.get(input.Key);
      return item === undefined ? {} : { Item: item };
    });
    ddb
      .on(PutCommand)
      .callsFake(
        async (input: {
          Item: Item;
          ConditionExpression?: string;
          ExpressionAttributeNames?: Names;
          ExpressionAttributeValues?: Values;
        }) => {
          await tick();
          const current = this.items.get(this.keyOf(input.Item));
          if (
            !evaluate(
              input.ConditionExpression,
              current,
              input.ExpressionAttributeNames,
              input.ExpressionAttributeValues,
            )
          ) {
            throw awsError('ConditionalCheckFailedException');
          }
          this.put(input.Item);
          return {};
        },
      );
    ddb
      .on(UpdateCommand)
      .callsFake(
        async (input: {
          Key: Item;
          UpdateExpression: string;
          ConditionExpression?: string;
          ExpressionAttributeNames?: Names;
          ExpressionAttributeValues?: Values;
        }) => {
          await tick();
          const current = this.items.get(this.keyOf(input.Key));
          if (
            !evaluate(
              input.ConditionExpression,
              current,
              input.ExpressionAttributeNames,
              input.ExpressionAttributeValues,
            )
          ) {
            throw awsError('ConditionalCheckFailedException');
          }
          const next: Item = structuredClone(current ?? { ...input.Key });
          const [, action = '', body = ''] =
            /^(SET|REMOVE)\s+(.*)$/s.exec(input.UpdateExpression.trim()) ?? [];
          for (const clause of body.split(',')) {
            const [target = '', source] = clause.split('=');
            const at = path(target, input.ExpressionAttributeNames);
            let parent: Item = next;
            for (const part of at.slice(0, -1)) {
              parent[part] ??= {};
              parent = parent[part] as Item;
            }
            const last = at.at(-1) ?? '';
            if (action === 'SET')
              parent[last] = structuredClone(input.ExpressionAttributeValues?.[(source ?? '').trim()]);
            else delete parent[last];
          }
          this.put(next);
          return {};
        },
      );
    ddb
      .on(QueryCommand)
      .callsFake(
        async (input: {
          IndexName?: string;
          KeyConditionExpression: string;
          ExpressionAttributeValues?: Values;
          ExpressionAttributeNames?: Names;
          Limit?: number;
          ExclusiveStartKey?: Item;
          ScanIndexForward?: boolean;
        }) => {
          await tick();
          const sortKey = input.IndexName === undefined ? 'sk' : `${input.IndexName}sk`;
          const matching = [...this.items.values()]
            .filter((item) =>
              evaluate(
                input.KeyConditionExpression,
                item,
                input.ExpressionAttributeNames,
                input.ExpressionAttributeValues,
              ),
            )
            .sort((a, b) => {
              const left = `${String(a[sortKey])}|${this.keyOf(a)}`;
              const right = `${String(b[sortKey])}|${this.keyOf(b)}`;
              return left < right ? -1 : left > right ? 1 : 0;
            });
          if (input.ScanIndexForward === false) matching.reverse();
          let start = 0;
          if (input.ExclusiveStartKey !== undefined) {
            const after = this.keyOf(input.ExclusiveStartKey);
            start = matching.findIndex((item) => this.keyOf(item) === after) + 1;
          }
          const page = matching.slice(start, start + (input.Limit ?? matching.length));
          const last = page.at(-1);
          const more = start + page.length < matching.length;
          return {
            Items: page.map((item) => structuredClone(item)),
            ...(more && last !== undefined
              ? {
                  LastEvaluatedKey: {
                    pk: last.pk,
                    sk: last.sk,
                    ...(input.IndexName === undefined
                      ? {}
                      : { [`${input.IndexName}pk`]: last[`${input.IndexName}pk`], [sortKey]: last[sortKey] }),
                  },
                }
              : {}),
          };
        },
      );
  }
}

/** One S3 bucket's objects in memory, with the headers they were written with. */
export interface FakeObject {
  body: Uint8Array;
  contentType?: string;
  cacheControl?: string;
}

/** S3 buckets in memory, keyed by bucket then key. */
export class FakeBuckets {
  readonly buckets = new Map<string, Map<string, FakeObject>>();
  private failures: Array<(key: string) => boolean> = [];

  /** The next PutObject whose key satisfies `match` fails once with AccessDenied (not retried by the SDK). */
  failNextPut(match: (key: string) => boolean): void {
    this.failures.push(match);
  }

  bucket(name: string): Map<string, FakeObject> {
    let bucket = this.buckets.get(name);
    if (bucket === undefined) {
      bucket = new Map();
      this.buckets.set(name, bucket);
    }
    return bucket;
  }

  text(bucket: string, key: string): string {
    const object = this.bucket(bucket).get(key);
    if (object === undefined) throw new Error(`no object ${bucket}/${key}`);
    return new TextDecoder().decode(object.body);
  }

  /** Routes the S3 client's Put, Get, Head, Delete and List through these buckets. */
  install(s3: S3Stub): void {
    s3.on(PutObjectCommand).callsFake(
      async (input: {
        Bucket: string;
        Key: string;
        Body: Uint8Array | string;
        ContentType?: string;
        CacheControl?: string;
      }) => {
        await tick();
        const failure = this.failures.findIndex((match) => match(input.Key));
        if (failure >= 0) {
          this.failures.splice(failure, 1);
          throw awsError('AccessDenied', 403);
        }
        const body =
          typeof input.Body === 'string' ? new TextEncoder().encode(input.Body) : new Uint8Array(input.Body);
        this.bucket(input.Bucket).set(input.Key, {
          body,
          ...(input.ContentType === undefined ? {} : { contentType: input.ContentType }),
          ...(input.CacheControl === undefined ? {} : { cacheControl: input.CacheControl }),
        });
        return {};
      },
    );
    s3.on(GetObjectCommand).callsFake(async (input: { Bucket: string; Key: string }) => {
      await tick();
      const object = this.bucket(input.Bucket).get(input.Key);
      if (object === undefined) throw awsError('NoSuchKey', 404);
      const bytes = new Uint8Array(object.body);
      return { Body: { transformToByteArray: async () => bytes }, ContentLength: bytes.byteLength };
    });
    s3.on(HeadObjectCommand).callsFake(async (input: { Bucket: string; Key: string }) => {
      await tick();
      const object = this.bucket(input.Bucket).get(input.Key);
      if (object === undefined) throw awsError('NotFound', 404);
      return { ContentLength: object.body.byteLength, ETag: '"fake"' };
    });
    s3.on(DeleteObjectCommand).callsFake(async (input: { Bucket: string; Key: string }) => {
      await tick();
      this.bucket(input.Bucket).delete(input.Key);
      return {};
    });
    s3.on(ListObjectsV2Command).callsFake(async (input: { Bucket: string; Prefix?: string }) => {
      await tick();
      const keys = [...this.bucket(input.Bucket).keys()]
        .filter((key) => key.startsWith(input.Prefix ?? ''))
        .sort();
      return { Contents: keys.map((Key) => ({ Key })), IsTruncated: false };
    });
  }
}
