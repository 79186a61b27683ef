import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createJwtIssuer, type JwtIssuer } from '../../shared/auth/jwt.js';
import {
  ENVIRONMENT_SCHEMAS,
  FUNCTION_NAMES,
  type FunctionName,
  parseEnvironment,
} from '../../shared/config/environment.js';
import { type AwsEndpoint, startAwsEndpoint } from './aws-endpoint.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION, type RunningEmulator, startDynamo, startS3 } from './emulators.js';
import { type LocalHandler, lambdaContext, loadHandler } from './handlers.js';
import { type HttpApi, startHttpApi } from './http-api.js';
import { LocalStepFunctions } from './step-functions.js';
import { synthesizeLocalTemplate } from './template.js';

/**
 * The whole system on one machine: s3rver and dynalite with their data under `dataDir`, the local
 * Step Functions and SES endpoint, and the HTTP API, with the real handlers running in this
 * process. Handlers are configured only through the environment, exactly as in AWS.
 */

/** Default port of the HTTP API; the emulators take the next three. */
export const DEFAULT_PORT = 8787;
/** Audience of the drafters' JWTs in local mode. */
export const LOCAL_AUDIENCE = 'gongkai-local';
/** Sender of local mail. */
export const LOCAL_MAIL_FROM = 'gongkai-noreply@example.gov.cn';

/** Options of {@link startLocalSystem}. */
export interface LocalSystemOptions {
  /** Where everything is kept (`.gongkai` for `npm start`). */
  dataDir: string;
  /** Port of the HTTP API. 0 = any free port (and the emulators too, unless given). @default 8787 */
  port?: number;
  /** @default port + 1 (0 when port is 0) */
  s3Port?: number;
  /** @default port + 2 (0 when port is 0) */
  dynamoPort?: number;
  /** Port of the local Step Functions + SES endpoint. @default port + 3 (0 when port is 0) */
  awsPort?: number;
  /** LOG_LEVEL of the handlers. @default 'INFO' */
  logLevel?: string;
  /** Test doubles for some handlers (the system's own tests use them to exercise the runtime). */
  handlers?: Partial<Record<FunctionName, LocalHandler>>;
  /** Progress lines of the local runtime. @default none */
  log?: (line: string) => void;
}

/** A running local system. */
export interface LocalSystem {
  readonly dataDir: string;
  readonly urls: {
    api: string;
    signIn: string;
    outbox: string;
    catalog: string;
    jwks: string;
    s3: string;
    dynamodb: string;
    aws: string;
  };
  readonly ports: { api: number; s3: number; dynamodb: number; aws: number };
  readonly outboxDirectory: string;
  /** Local names of the table and buckets, by environment variable (`TABLE_NAME`, `UPLOADS_BUCKET`, …). */
  readonly resources: Record<string, string>;
  readonly stateMachineArn: string;
  readonly stepFunctions: LocalStepFunctions;
  readonly issuer: JwtIssuer;
  /** Executions resumed at start (they were running when the system last stopped). */
  readonly resumed: string[];
  /** Stops everything; running executions stay on disk and resume at the next start. */
  stop(): Promise<void>;
}

async function loadOrCreateSigningKey(directory: string): Promise<{ privateKeyPem: string; kid: string }> {
  await mkdir(directory, { recursive: true, mode: 0o700 });
  const file = path.join(directory, 'jwt-signing-key.pem');
  let privateKeyPem: string;
  try {
    privateKeyPem = await readFile(file, 'utf8');
  } catch {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    await writeFile(file, privateKeyPem, { mode: 0o600, flag: 'wx' }).catch(async () => {
      privateKeyPem = await readFile(file, 'utf8');
    });
  }
  const publicDer = createPublicKey(privateKeyPem).export({ type: 'spki', format: 'der' });
  return { privateKeyPem, kid: createHash('sha256').update(publicDer).digest('base64url').slice(0, 16) };
}

/** Starts the local system. Every part is stopped again if one fails to start. */
export async function startLocalSystem(options: LocalSystemOptions): Promise<LocalSystem> {
  const dataDir = path.resolve(options.dataDir);
  const port = options.port ?? DEFAULT_PORT;
  const portAfter = (offset: number, given: number | undefined) => given ?? (port === 0 ? 0 : port + offset);
  const outboxDirectory = path.join(dataDir, 'outbox');
  for (const folder of ['s3', 'dynamodb', 'executions', 'outbox', 'keys']) {
    await mkdir(path.join(dataDir, folder), { recursive: true });
  }

  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) {
      await stop().catch((error: unknown) => {
        options.log?.(`stopping: ${error instanceof Error ? error.message : String(error)}`);
      });
    }
  };

  try {
    const template = await synthesizeLocalTemplate();
    const dynamo: RunningEmulator = await startDynamo({
      directory: path.join(dataDir, 'dynamodb'),
      port: portAfter(2, options.dynamoPort),
      table: template.table,
    });
    stops.push(() => dynamo.close());
    const s3: RunningEmulator = await startS3({
      directory: path.join(dataDir, 's3'),
      port: portAfter(1, options.s3Port),
      buckets: template.buckets,
    });
    stops.push(() => s3.close());

    const key = await loadOrCreateSigningKey(path.join(dataDir, 'keys'));
    const stateMachineArn = `arn:aws:states:${LOCAL_REGION}:000000000000:stateMachine:${template.stateMachineName}`;
    const handlerCache = new Map<FunctionName, Promise<LocalHandler>>();
    const handlerOf = (name: FunctionName): Promise<LocalHandler> => {
      const double = options.handlers?.[name];
      if (double !== undefined) return Promise.resolve(double);
      let loading = handlerCache.get(name);
      if (loading === undefined) {
        loading = loadHandler(name);
        handlerCache.set(name, loading);
      }
      return loading;
    };

    let issuer: JwtIssuer | undefined;
    let stepFunctions: LocalStepFunctions | undefined;
    const api: HttpApi = await startHttpApi({
      port,
      issuer: () => {
        if (issuer === undefined) throw new Error('The local system is still starting.');
        return issuer;
      },
      invoke: async (name, event, context) => (await handlerOf(name))(event, context),
      outboxDirectory,
      describe: () => ({
        'S3（预签名上传）': s3.endpoint,
        DynamoDB: dynamo.endpoint,
        'Step Functions / SES': aws.endpoint,
      }),
    });
    const apiStop = () => api.close();
    stops.push(apiStop);
    issuer = createJwtIssuer({ ...key, issuer: api.url, audience: LOCAL_AUDIENCE });

    const aws: AwsEndpoint = await startAwsEndpoint({
      port: portAfter(3, options.awsPort),
      outboxDirectory,
      stepFunctions: () => {
        if (stepFunctions === undefined) throw new Error('The local system is still starting.');
        return stepFunctions;
      },
    });
    stops.push(() => aws.close());

    // Configuration only: where the services are and what the resources are called.
    const resources: Record<string, string> = {
      TABLE_NAME: template.table.name,
      ...template.resourceVariables,
    };
    Object.assign(process.env, {
      AWS_REGION: LOCAL_REGION,
      AWS_DEFAULT_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_SFN: aws.endpoint,
      AWS_ENDPOINT_URL_SESV2: aws.endpoint,
      S3_FORCE_PATH_STYLE: 'true',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      POWERTOOLS_SERVICE_NAME: 'gongkai',
      LOG_LEVEL: options.logLevel ?? 'INFO',
      ...resources,
      STATE_MACHINE_ARN: stateMachineArn,
      MAIL_FROM: LOCAL_MAIL_FROM,
      APPROVAL_BASE_URL: `${api.url}/approvals`,
      // The drafter's pages check the gk_session cookie against the local issuer themselves.
      JWKS_URL: `${api.url}/.well-known/jwks.json`,
      JWT_ISSUER: issuer.issuer,
      JWT_AUDIENCE: issuer.audience,
      SIGN_IN_URL: '/local/sign-in',
    });
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;
    // Fail now, naming the variable, rather than at a handler's first call.
    for (const name of FUNCTION_NAMES) parseEnvironment(ENVIRONMENT_SCHEMAS[name]);

    stepFunctions = new LocalStepFunctions({
      definition: template.stateMachine.definition,
      functionNameByArn: template.stateMachine.functionNameByArn,
      stateMachineArn,
      directory: path.join(dataDir, 'executions'),
      invoke: async (name, payload) => {
        if (!(FUNCTION_NAMES as string[]).includes(name)) throw new Error(`No function named ${name}.`);
        return (await handlerOf(name as FunctionName))(payload, lambdaContext(name, 300));
      },
      ...(options.log === undefined ? {} : { log: options.log }),
    });
    const running = stepFunctions;
    // Stopped after the API (no new requests) and before the endpoint and the emulators, so the
    // executions' last writes complete: the order is api, step functions, aws endpoint, s3, dynamodb.
    stops.splice(stops.indexOf(apiStop), 1);
    stops.push(() => running.close(), apiStop);
    const { resumed } = await running.start();

    let stopped: Promise<void> | undefined;
    return {
      dataDir,
      urls: {
        api: api.url,
        signIn: `${api.url}/local/sign-in`,
        outbox: `${api.url}/local/outbox`,
        catalog: `${api.url}/portal/catalog`,
        jwks: `${api.url}/.well-known/jwks.json`,
        s3: s3.endpoint,
        dynamodb: dynamo.endpoint,
        aws: aws.endpoint,
      },
      ports: { api: api.port, s3: s3.port, dynamodb: dynamo.port, aws: aws.port },
      outboxDirectory,
      resources,
      stateMachineArn,
      stepFunctions: running,
      issuer,
      resumed,
      stop: () => {
        stopped ??= stopAll();
        return stopped;
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
