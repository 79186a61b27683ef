import { App, CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { buildStacks, type GongkaiContext } from '../../infra/stacks/gongkai.js';

/**
 * An app whose stacks skip esbuild bundling and CDK's built-in CloudFormation validation (both
 * slow); only the synth test in bundling.test.ts runs them, as `cdk synth` does.
 */
export function newTestApp(context: Record<string, unknown> = {}): App {
  return new App({
    context: { 'aws:cdk:bundling-stacks': [], ...context },
    builtinCloudFormationValidation: false,
  });
}

/** Builds both stacks into a fresh, non-bundling app and returns their templates. */
export function synthGongkai(overrides: GongkaiContext = {}) {
  const app = newTestApp();
  const { data, pipeline } = buildStacks(app, overrides);
  return {
    app,
    data,
    pipeline,
    dataTemplate: Template.fromStack(data),
    pipelineTemplate: Template.fromStack(pipeline),
  };
}

/** A CloudFormation resource as found in a template. */
export interface CfnResourceJson {
  Type: string;
  Properties?: Record<string, unknown>;
  [key: string]: unknown;
}

/** Resources of `type` in `template`, by logical id. */
export function resourcesOfType(template: Template, type: string): Record<string, CfnResourceJson> {
  return template.findResources(type) as Record<string, CfnResourceJson>;
}

/** The logical id of the construct's default CloudFormation resource. */
export function logicalIdOf(construct: IConstruct): string {
  const child = construct.node.defaultChild;
  if (!(child instanceof CfnElement))
    throw new Error(`${construct.node.path} has no CloudFormation resource`);
  const stack = Stack.of(construct);
  return stack.resolve(stack.getLogicalId(child)) as string;
}

/** An IAM statement from a synthesized template. */
export interface StatementJson {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, unknown>;
}

/** Every IAM statement attached (by AWS::IAM::Policy) to the role with `roleLogicalId`. */
export function statementsOfRole(template: Template, roleLogicalId: string): StatementJson[] {
  const statements: StatementJson[] = [];
  for (const policy of Object.values(resourcesOfType(template, 'AWS::IAM::Policy'))) {
    const roles = (policy.Properties?.Roles ?? []) as Array<{ Ref?: string }>;
    if (!roles.some((role) => role.Ref === roleLogicalId)) continue;
    const document = policy.Properties?.PolicyDocument as { Statement: StatementJson[] };
    statements.push(...document.Statement);
  }
  return statements;
}

/** `value` as an array. */
export function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
