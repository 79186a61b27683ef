/**
 * Reads the review state machine's definition out of a synthesized CloudFormation template, so
 * local mode runs exactly what the stack deploys (no hand-written copy).
 *
 * The template's `DefinitionString` is an `Fn::Join` of literal JSON fragments and intrinsics
 * (`Fn::GetAtt` of function ARNs, `Ref` of pseudo parameters). Function ARNs become fake local ARNs
 * `arn:aws:lambda:local:000000000000:function:<name>` whose `<name>` is the handler name
 * (`functions/<name>.ts`), read from the function's `gongkai:function` tag.
 */

/** Tag naming a function's handler (same value as `FUNCTION_NAME_TAG` in the Lambda construct). */
const FUNCTION_NAME_TAG = 'gongkai:function';

/** Values local mode gives the pseudo parameters. */
const PSEUDO_PARAMETERS: Readonly<Record<string, string>> = {
  'AWS::Partition': 'aws',
  'AWS::Region': 'local',
  'AWS::AccountId': '000000000000',
  'AWS::URLSuffix': 'amazonaws.com',
};

/** The fake ARN local mode uses for the function whose handler is `functions/<name>.ts`. */
export function localFunctionArn(name: string): string {
  return `arn:aws:lambda:local:000000000000:function:${name}`;
}

/** A state machine definition with its function ARNs resolved to local ones. */
export interface ExtractedDefinition {
  /** The Amazon States Language definition (parsed JSON). */
  readonly definition: Record<string, unknown>;
  /** Handler name of every function the definition references, by its local ARN. */
  readonly functionNameByArn: Record<string, string>;
}

interface TemplateResource {
  Type?: string;
  Properties?: Record<string, unknown>;
}

/** The template cannot be turned into a local definition; the message says what was found instead. */
export class DefinitionExtractionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DefinitionExtractionError';
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function handlerName(logicalId: string, resource: TemplateResource): string {
  const tags = resource.Properties?.Tags;
  if (Array.isArray(tags)) {
    for (const tag of tags) {
      if (isRecord(tag) && tag.Key === FUNCTION_NAME_TAG && typeof tag.Value === 'string') return tag.Value;
    }
  }
  throw new DefinitionExtractionError(
    `Function ${logicalId} has no "${FUNCTION_NAME_TAG}" tag; create it with GongkaiFunction so local mode can bind its handler.`,
  );
}

/**
 * Extracts the state machine definition from `template` (a synthesized CloudFormation template as
 * parsed JSON). When the template has several state machines, `logicalId` picks one.
 */
export function extractStateMachineDefinition(template: object, logicalId?: string): ExtractedDefinition {
  const resources = (template as { Resources?: Record<string, TemplateResource> }).Resources ?? {};
  const machines = Object.entries(resources).filter(
    ([id, resource]) =>
      resource.Type === 'AWS::StepFunctions::StateMachine' && (logicalId === undefined || id === logicalId),
  );
  if (machines.length !== 1) {
    throw new DefinitionExtractionError(
      `Expected exactly one AWS::StepFunctions::StateMachine${logicalId ? ` with logical id ${logicalId}` : ''}, found ${machines.length}.`,
    );
  }
  const [machineId, machine] = machines[0]!;
  const functionNameByArn: Record<string, string> = {};

  const resolve = (value: unknown): string => {
    if (typeof value === 'string') return value;
    if (isRecord(value)) {
      const getAtt = value['Fn::GetAtt'];
      if (
        Array.isArray(getAtt) &&
        getAtt.length === 2 &&
        getAtt[1] === 'Arn' &&
        typeof getAtt[0] === 'string'
      ) {
        const target = resources[getAtt[0]];
        if (target?.Type === 'AWS::Lambda::Function') {
          const name = handlerName(getAtt[0], target);
          const arn = localFunctionArn(name);
          functionNameByArn[arn] = name;
          return arn;
        }
        throw new DefinitionExtractionError(
          `${machineId} references ${getAtt[0]}.Arn, which is a ${target?.Type ?? 'missing resource'}, not a Lambda function.`,
        );
      }
      const ref = value.Ref;
      if (typeof ref === 'string' && ref in PSEUDO_PARAMETERS) return PSEUDO_PARAMETERS[ref]!;
      const join = value['Fn::Join'];
      if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
        return join[1].map(resolve).join(join[0]);
      }
    }
    throw new DefinitionExtractionError(
      `${machineId}'s DefinitionString contains an intrinsic local mode cannot resolve: ${JSON.stringify(value)}`,
    );
  };

  const definitionString = machine.Properties?.DefinitionString;
  if (definitionString === undefined) {
    throw new DefinitionExtractionError(
      `${machineId} has no DefinitionString (S3 definitions are not supported).`,
    );
  }
  const definition: unknown = JSON.parse(resolve(definitionString));
  if (!isRecord(definition))
    throw new DefinitionExtractionError(`${machineId}'s definition is not a JSON object.`);
  return { definition, functionNameByArn };
}
