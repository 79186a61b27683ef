import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, Stack, Tags, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  type BundlingOptions,
  LogLevel,
  NodejsFunction,
  OutputFormat,
  SourceMapMode,
} from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import { Construct } from 'constructs';
import type { EnvironmentInput, FunctionName } from '../../shared/config/environment.js';

/** Root of the repository (this file is `infra/constructs/gongkai-function.ts`). */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Tag on every function naming its handler; the local runner maps state machine ARNs back through it. */
export const FUNCTION_NAME_TAG = 'gongkai:function';

/**
 * ESM bundles have no `require`; some dependencies (and the AWS SDK's optional paths) still call it.
 * The banner gives them one.
 */
const ESM_REQUIRE_BANNER =
  "import { createRequire as __gongkaiCreateRequire } from 'node:module'; const require = __gongkaiCreateRequire(import.meta.url);";

/**
 * esbuild settings of every function: an ESM bundle for Node.js 22, minified with source maps.
 * `keepNames` is required: error classes take their stable `name` from `new.target.name`, which the
 * state machine's Catch clauses and the HTTP error table match on, and minification would rename them.
 */
export const BUNDLING: BundlingOptions = {
  format: OutputFormat.ESM,
  target: 'node22',
  mainFields: ['module', 'main'],
  banner: ESM_REQUIRE_BANNER,
  minify: true,
  keepNames: true,
  logLevel: LogLevel.WARNING,
  sourceMap: true,
  sourceMapMode: SourceMapMode.DEFAULT,
  sourcesContent: false,
  // The runtime's AWS SDK v3 is used, not a bundled copy: with it bundled, most functions exceed the
  // 2 MB budget (about +0.5 MB each). The SDK calls gongkai makes are long-stable; the tests' exact
  // client versions are in package-lock.json.
  bundleAwsSDK: false,
  externalModules: ['@aws-sdk/*'],
};

const APPLICATION_LOG_LEVELS: Record<string, lambda.ApplicationLogLevel> = {
  TRACE: lambda.ApplicationLogLevel.TRACE,
  DEBUG: lambda.ApplicationLogLevel.DEBUG,
  INFO: lambda.ApplicationLogLevel.INFO,
  WARN: lambda.ApplicationLogLevel.WARN,
  ERROR: lambda.ApplicationLogLevel.ERROR,
  CRITICAL: lambda.ApplicationLogLevel.FATAL,
  SILENT: lambda.ApplicationLogLevel.FATAL,
};

/** Properties of a {@link GongkaiFunction}. */
export interface GongkaiFunctionProps<N extends FunctionName> {
  /** Handler name: the entry is `functions/<name>.ts`, exporting `handler`. */
  readonly name: N;
  /** The environment, typed by the same zod schema the handler validates at cold start. */
  readonly environment: EnvironmentInput<N>;
  /** @default 30 seconds */
  readonly timeout?: Duration;
  /** @default 512 MB */
  readonly memorySize?: number;
  /** @default one month */
  readonly logRetention?: logs.RetentionDays;
  /** What the function does, shown in the console. */
  readonly description: string;
}

/**
 * One Lambda function with the project's defaults: Node.js 22 on ARM64, ESM bundle (minified, with
 * source maps), JSON logs into its own log group with a retention, X-Ray tracing, and its own role
 * that can write only to that log group (no AWS managed policy).
 */
export class GongkaiFunction<N extends FunctionName = FunctionName> extends Construct {
  /** The handler name (`functions/<name>.ts`). */
  readonly name: N;
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  /** The function's timeout (a Task that invokes it allows a margin over this). */
  readonly timeout: Duration;

  constructor(scope: Construct, id: string, props: GongkaiFunctionProps<N>) {
    super(scope, id);
    this.name = props.name;
    this.timeout = props.timeout ?? Duration.seconds(30);
    const entry = path.join(PROJECT_ROOT, 'functions', `${props.name}.ts`);
    if (!existsSync(entry)) {
      throw new Error(`GongkaiFunction ${props.name}: entry file ${entry} does not exist`);
    }

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
    });

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `gongkai ${props.name}: execution role`,
    });
    // The log group's ARN attribute already ends in ":*" (all its streams); no other log group is writable.
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    const environment: Record<string, string> = {};
    for (const [key, value] of Object.entries(props.environment as Record<string, string | undefined>)) {
      if (value !== undefined) environment[key] = value;
    }
    environment.POWERTOOLS_SERVICE_NAME ??= 'gongkai';
    environment.LOG_LEVEL ??= 'INFO';
    environment.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
    environment.NODE_OPTIONS = '--enable-source-maps';

    this.function = new NodejsFunction(this, 'Function', {
      entry,
      handler: 'handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: this.timeout,
      role: this.role,
      tracing: lambda.Tracing.ACTIVE,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: APPLICATION_LOG_LEVELS[environment.LOG_LEVEL] ?? lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      environment,
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      bundling: BUNDLING,
    });
    Tags.of(this.function).add(FUNCTION_NAME_TAG, props.name);

    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node.js 22 is the runtime the toolchain is pinned to and tested on (TOOLCHAIN.md); moving to a newer runtime is a deliberate upgrade, not a synth-time default.',
    });
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only X-Ray tracing (xray:PutTraceSegments, xray:PutTelemetryRecords, added by Tracing.ACTIVE) uses "*": these actions do not support resource-level permissions.',
    });
  }

  /** The function's ARN. */
  get functionArn(): string {
    return this.function.functionArn;
  }

  /**
   * Adds `statement` to the role and acknowledges the wildcard findings its resources produce, with
   * `reason`. Use only for resources that cannot be named exactly (S3 object keys under a prefix,
   * executions of one state machine); each acknowledgement names the exact resource pattern.
   */
  addWildcardStatement(statement: iam.PolicyStatement, reason: string): void {
    this.role.addToPrincipalPolicy(statement);
    acknowledgeWildcardResources(this.role, statement.resources, reason);
  }
}

/**
 * Acknowledges cdk-nag's AwsSolutions-IAM5 finding for each resource in `resources` that contains a
 * wildcard, on `scope` (an ancestor of the policy). Finding ids are computed the way cdk-nag computes
 * them, so an acknowledgement never covers more than the one pattern it names.
 */
export function acknowledgeWildcardResources(
  scope: Construct,
  resources: readonly string[],
  reason: string,
): void {
  const stack = Stack.of(scope);
  for (const resource of resources) {
    const flattened = flattenCfnReference(stack.resolve(resource));
    if (flattened.includes('*')) {
      Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Resource::${flattened}]`, reason });
    }
  }
}
