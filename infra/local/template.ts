import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { buildStacks } from '../stacks/gongkai.js';
import { type ExtractedDefinition, extractStateMachineDefinition } from './definition.js';

/**
 * What local mode needs from the synthesized CDK app: the table's keys and indexes, the buckets
 * (with their CORS rules), which environment variable names which of them, and the state machine
 * definition. Read from the templates, never written by hand, so local mode runs what deploys.
 */

type Resource = { Type?: string; Properties?: Record<string, unknown> };
type Template = {
  Resources?: Record<string, Resource>;
  Outputs?: Record<string, { Value?: unknown; Export?: { Name?: unknown } }>;
};

/** Key schema, attributes and global secondary indexes of the table (CreateTable input shape). */
export interface TableSpec {
  logicalId: string;
  name: string;
  keySchema: { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[];
  attributeDefinitions: { AttributeName: string; AttributeType: 'S' | 'N' | 'B' }[];
  globalSecondaryIndexes: {
    IndexName: string;
    KeySchema: { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[];
    Projection: { ProjectionType: 'ALL' | 'KEYS_ONLY' | 'INCLUDE'; NonKeyAttributes?: string[] };
  }[];
}

/** One bucket of the data stack. */
export interface BucketSpec {
  logicalId: string;
  name: string;
  /** The bucket's CORS rules in the CloudFormation shape (s3rver gets them as XML). */
  corsRules: Record<string, unknown>[];
}

/** Everything local mode reads from the synthesized app. */
export interface LocalTemplate {
  table: TableSpec;
  buckets: BucketSpec[];
  /**
   * Environment variables whose value is a data-stack resource (e.g. `UPLOADS_BUCKET`), mapped to
   * that resource's local name; found through the pipeline's `Fn::ImportValue`s.
   */
  resourceVariables: Record<string, string>;
  /** The review state machine, function ARNs resolved to local ones. */
  stateMachine: ExtractedDefinition;
  /** The state machine's name (`StateMachineName` in the template). */
  stateMachineName: string;
}

/** The template's logical ids carry an 8-hex-digit hash; local names drop it: `UploadsBucket5E5E9B64` → `gongkai-uploads-bucket`. */
export function localResourceName(logicalId: string): string {
  const base = logicalId.replace(/[0-9A-F]{8}$/, '');
  return `gongkai-${base.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}`;
}

function resourcesOf(template: Template, type: string): [string, Resource][] {
  return Object.entries(template.Resources ?? {}).filter(([, resource]) => resource.Type === type);
}

function tableSpec(template: Template): TableSpec {
  const tables = resourcesOf(template, 'AWS::DynamoDB::Table');
  if (tables.length !== 1)
    throw new Error(`Expected one AWS::DynamoDB::Table in the data stack, found ${tables.length}.`);
  const [logicalId, table] = tables[0]!;
  const properties = (table.Properties ?? {}) as Record<string, unknown>;
  return {
    logicalId,
    name: localResourceName(logicalId),
    keySchema: properties.KeySchema as TableSpec['keySchema'],
    attributeDefinitions: properties.AttributeDefinitions as TableSpec['attributeDefinitions'],
    globalSecondaryIndexes: (
      (properties.GlobalSecondaryIndexes ?? []) as TableSpec['globalSecondaryIndexes']
    ).map((index) => ({
      IndexName: index.IndexName,
      KeySchema: index.KeySchema,
      Projection: index.Projection,
    })),
  };
}

function bucketSpecs(template: Template): BucketSpec[] {
  return resourcesOf(template, 'AWS::S3::Bucket').map(([logicalId, bucket]) => {
    const cors = bucket.Properties?.CorsConfiguration as
      | { CorsRules?: Record<string, unknown>[] }
      | undefined;
    return { logicalId, name: localResourceName(logicalId), corsRules: cors?.CorsRules ?? [] };
  });
}

/** `UPLOADS_BUCKET: { Fn::ImportValue: 'GongkaiData-UploadsBucketName' }` → the export's `Ref` → local name. */
function resourceVariables(data: Template, pipeline: Template): Record<string, string> {
  const exported = new Map<string, string>();
  for (const output of Object.values(data.Outputs ?? {})) {
    const ref = (output.Value as { Ref?: unknown } | undefined)?.Ref;
    if (
      typeof output.Export?.Name === 'string' &&
      typeof ref === 'string' &&
      data.Resources?.[ref] !== undefined
    ) {
      exported.set(output.Export.Name, localResourceName(ref));
    }
  }
  const variables: Record<string, string> = {};
  for (const [, fn] of resourcesOf(pipeline, 'AWS::Lambda::Function')) {
    const environment = (fn.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)
      ?.Variables;
    for (const [name, value] of Object.entries(environment ?? {})) {
      const imported = (value as { 'Fn::ImportValue'?: unknown } | null)?.['Fn::ImportValue'];
      if (typeof imported !== 'string') continue;
      const local = exported.get(imported);
      if (local !== undefined) variables[name] = local;
    }
  }
  return variables;
}

/**
 * Synthesizes the CDK app in-process (bundling skipped, CloudFormation validation off: it costs
 * 15–25 s and `cdk synth` / the infra tests run it) and reads what local mode needs.
 */
export async function synthesizeLocalTemplate(): Promise<LocalTemplate> {
  const outdir = await mkdtemp(path.join(tmpdir(), 'gongkai-synth-'));
  try {
    const app = new App({
      outdir,
      builtinCloudFormationValidation: false,
      context: { 'aws:cdk:bundling-stacks': [] },
    });
    const { data, pipeline } = buildStacks(app);
    const assembly = app.synth();
    const dataTemplate = assembly.getStackByName(data.stackName).template as Template;
    const pipelineTemplate = assembly.getStackByName(pipeline.stackName).template as Template;
    const machines = resourcesOf(pipelineTemplate, 'AWS::StepFunctions::StateMachine');
    const stateMachineName = machines[0]?.[1].Properties?.StateMachineName;
    return {
      table: tableSpec(dataTemplate),
      buckets: bucketSpecs(dataTemplate),
      resourceVariables: resourceVariables(dataTemplate, pipelineTemplate),
      stateMachine: extractStateMachineDefinition(pipelineTemplate),
      stateMachineName: typeof stateMachineName === 'string' ? stateMachineName : 'gongkai-review',
    };
  } finally {
    await rm(outdir, { recursive: true, force: true });
  }
}
