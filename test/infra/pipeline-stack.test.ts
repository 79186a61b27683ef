import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_NAME_TAG } from '../../infra/constructs/gongkai-function.js';
import { ROUTES, routeKey } from '../../infra/routes.js';
import { ENVIRONMENT_SCHEMAS, FUNCTION_NAMES, type FunctionName } from '../../shared/config/environment.js';
import { APPROVALS_NEAR_DEADLINE_METRIC, STATE_MACHINE_NAME } from '../../shared/config/workflow.js';
import { STATIC_FEED_KEYS } from '../../shared/publication/feeds.js';
import {
  asArray,
  type CfnResourceJson,
  logicalIdOf,
  resourcesOfType,
  type StatementJson,
  statementsOfRole,
  synthGongkai,
} from './support.js';

/** Variables the construct adds to every function, beyond its schema. */
const CONSTRUCT_VARIABLES = ['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED', 'NODE_OPTIONS'];

/** Stand-in values for the template's intrinsics, realistic enough for the handlers' own schemas. */
const PARAMETER_VALUES: Record<string, string> = {
  'AWS::Partition': 'aws',
  'AWS::Region': 'cn-north-1',
  'AWS::AccountId': '123456789012',
  'AWS::URLSuffix': 'amazonaws.com.cn',
  MailFrom: 'noreply@example.gov.cn',
  JwtIssuer: 'https://cognito-idp.cn-north-1.amazonaws.com.cn/cn-north-1_example',
  JwtAudience: 'client-a,client-b',
  SignInUrl: 'https://sign-in.example.gov.cn/login',
};

function resolveIntrinsic(value: unknown): string {
  if (typeof value === 'string') return value;
  const node = value as Record<string, unknown>;
  if (typeof node.Ref === 'string') return PARAMETER_VALUES[node.Ref] ?? node.Ref.toLowerCase();
  if (typeof node['Fn::ImportValue'] === 'string') return node['Fn::ImportValue'];
  if (Array.isArray(node['Fn::GetAtt'])) {
    const [logicalId, attribute] = node['Fn::GetAtt'] as [string, string];
    if (attribute === 'ApiEndpoint') return 'https://a1b2c3d4e5.execute-api.cn-north-1.amazonaws.com.cn';
    return `${logicalId}-${attribute}`.toLowerCase();
  }
  const join = node['Fn::Join'] as [string, unknown[] | unknown] | undefined;
  // A CommaDelimitedList parameter is joined as a whole (`{ "Fn::Join": [",", { "Ref": … }] }`).
  if (join)
    return Array.isArray(join[1]) ? join[1].map(resolveIntrinsic).join(join[0]) : resolveIntrinsic(join[1]);
  throw new Error(`unexpected intrinsic ${JSON.stringify(value)}`);
}

describe('Stack: PipelineStack', () => {
  let synth: ReturnType<typeof synthGongkai>;
  let lambdas: Record<string, CfnResourceJson>;

  beforeAll(() => {
    synth = synthGongkai();
    lambdas = resourcesOfType(synth.pipelineTemplate, 'AWS::Lambda::Function');
  });

  const functionResource = (name: FunctionName) => {
    const resource = lambdas[logicalIdOf(synth.pipeline.functions[name].function)];
    if (!resource?.Properties) throw new Error(`function ${name} not in the template`);
    return resource.Properties;
  };
  const statementsOf = (name: FunctionName) =>
    statementsOfRole(synth.pipelineTemplate, logicalIdOf(synth.pipeline.functions[name].role));
  const actionsOf = (name: FunctionName) =>
    statementsOf(name).flatMap((statement) => asArray(statement.Action));
  const grantsAction = (name: FunctionName, action: string) => actionsOf(name).includes(action);

  describe('Lambda functions', () => {
    it('creates one function per handler and nothing else', () => {
      expect(Object.keys(lambdas)).toHaveLength(FUNCTION_NAMES.length);
      const tagged = Object.values(lambdas).map(
        (resource) =>
          asArray(resource.Properties?.Tags as Array<{ Key: string; Value: string }>).find(
            (tag) => tag.Key === FUNCTION_NAME_TAG,
          )?.Value,
      );
      expect(tagged.sort()).toEqual([...FUNCTION_NAMES].sort());
    });

    it.each(FUNCTION_NAMES)('runs %s on Node.js 22, ARM64, with active tracing and JSON logs', (name) => {
      const properties = functionResource(name);
      expect(properties.Runtime).toBe('nodejs22.x');
      expect(properties.Architectures).toEqual(['arm64']);
      expect(properties.TracingConfig).toEqual({ Mode: 'Active' });
      expect(properties.Handler).toBe('index.handler');
      expect(properties.LoggingConfig).toMatchObject({ LogFormat: 'JSON' });
    });

    it('gives every function its own log group with a retention', () => {
      const logGroups = resourcesOfType(synth.pipelineTemplate, 'AWS::Logs::LogGroup');
      const used = FUNCTION_NAMES.map((name) => {
        const config = functionResource(name).LoggingConfig as { LogGroup: { Ref: string } };
        const group = logGroups[config.LogGroup.Ref];
        expect(group?.Properties?.RetentionInDays, name).toBeGreaterThan(0);
        return config.LogGroup.Ref;
      });
      expect(new Set(used).size).toBe(FUNCTION_NAMES.length);
    });

    it('gives every function its own role without AWS managed policies', () => {
      const roles = resourcesOfType(synth.pipelineTemplate, 'AWS::IAM::Role');
      const used = FUNCTION_NAMES.map(
        (name) => (functionResource(name).Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0],
      );
      expect(new Set(used).size).toBe(FUNCTION_NAMES.length);
      for (const roleId of used) expect(roles[roleId]?.Properties?.ManagedPolicyArns).toBeUndefined();
    });

    it.each(FUNCTION_NAMES)(
      'gives %s exactly the variables of its schema, which its schema accepts',
      (name) => {
        const variables = (functionResource(name).Environment as { Variables: Record<string, unknown> })
          .Variables;
        const schema = ENVIRONMENT_SCHEMAS[name];
        const schemaKeys = Object.keys(schema.shape);
        const required = schemaKeys.filter(
          (key) =>
            !(schema.shape as Record<string, { safeParse(v: unknown): { success: boolean } }>)[
              key
            ]?.safeParse(undefined).success,
        );
        expect(Object.keys(variables)).toEqual(expect.arrayContaining([...required, ...CONSTRUCT_VARIABLES]));
        expect(
          Object.keys(variables)
            .filter((key) => !CONSTRUCT_VARIABLES.includes(key))
            .sort(),
        ).toEqual(
          Object.keys(variables)
            .filter((key) => schemaKeys.includes(key))
            .sort(),
        );
        const resolved = Object.fromEntries(
          Object.entries(variables).map(([key, value]) => [key, resolveIntrinsic(value)]),
        );
        const parsed = schema.safeParse(resolved);
        expect(parsed.error?.issues ?? []).toEqual([]);
        expect(variables.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).toBe('true');
      },
    );

    it('builds STATE_MACHINE_ARN from the state machine name, without a reference to it', () => {
      for (const name of ['submit', 'withdraw'] as const) {
        const variables = (functionResource(name).Environment as { Variables: Record<string, unknown> })
          .Variables;
        expect(resolveIntrinsic(variables.STATE_MACHINE_ARN)).toBe(
          `arn:aws:states:cn-north-1:123456789012:stateMachine:${STATE_MACHINE_NAME}`,
        );
        expect(JSON.stringify(variables.STATE_MACHINE_ARN)).not.toContain(
          logicalIdOf(synth.pipeline.workflow.stateMachine),
        );
      }
    });

    it('links approvals to the HTTP API by default', () => {
      const variables = (
        functionResource('request-approval').Environment as { Variables: Record<string, unknown> }
      ).Variables;
      expect(resolveIntrinsic(variables.APPROVAL_BASE_URL)).toMatch(
        /^https:\/\/.+\.execute-api\..+\/approvals$/,
      );
    });
  });

  describe('IAM least privilege', () => {
    /** The only actions allowed on Resource "*", each because it has no resource-level permissions. */
    const UNSCOPABLE = new Set([
      'xray:PutTraceSegments',
      'xray:PutTelemetryRecords',
      'xray:GetSamplingRules',
      'xray:GetSamplingTargets',
      'states:SendTaskSuccess',
      'states:SendTaskFailure',
      'logs:CreateLogDelivery',
      'logs:GetLogDelivery',
      'logs:UpdateLogDelivery',
      'logs:DeleteLogDelivery',
      'logs:ListLogDeliveries',
      'logs:PutResourcePolicy',
      'logs:DescribeResourcePolicies',
      'logs:DescribeLogGroups',
    ]);
    const allStatements = (): StatementJson[] =>
      Object.values(resourcesOfType(synth.pipelineTemplate, 'AWS::IAM::Policy')).flatMap(
        (policy) =>
          (policy.Properties?.PolicyDocument as { Statement: StatementJson[] } | undefined)?.Statement ?? [],
      );

    it('uses Resource "*" only for actions that cannot be scoped to a resource', () => {
      const starred = allStatements().filter((statement) => asArray(statement.Resource).includes('*'));
      expect(starred.length).toBeGreaterThan(0);
      for (const statement of starred) {
        for (const action of asArray(statement.Action)) expect(UNSCOPABLE, action).toContain(action);
      }
    });

    it('grants no wildcard actions', () => {
      for (const statement of allStatements()) {
        for (const action of asArray(statement.Action)) expect(action).not.toContain('*');
      }
    });

    it('grants PutMetricData to no function: the deadline metric is written as EMF to the function’s logs', () => {
      expect(FUNCTION_NAMES.filter((name) => grantsAction(name, 'cloudwatch:PutMetricData'))).toEqual([]);
    });

    it('never grants DynamoDB deletes, scans or batch operations', () => {
      const dynamo = allStatements().flatMap((statement) =>
        asArray(statement.Action).filter((action) => action.startsWith('dynamodb:')),
      );
      expect(new Set(dynamo)).toEqual(
        new Set(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem']),
      );
    });

    it('gives get-submission and portal-api read-only table access', () => {
      for (const name of ['get-submission', 'portal-api'] as const) {
        expect(grantsAction(name, 'dynamodb:GetItem'), name).toBe(true);
        expect(grantsAction(name, 'dynamodb:PutItem'), name).toBe(false);
        expect(grantsAction(name, 'dynamodb:UpdateItem'), name).toBe(false);
        expect(grantsAction(name, 'kms:GenerateDataKey'), name).toBe(false);
      }
    });

    it('lets only the functions that list something query an index, and only the named indexes', () => {
      const indexed = FUNCTION_NAMES.flatMap((name) =>
        statementsOf(name)
          .flatMap((statement) => asArray(statement.Resource))
          .map(resolveIntrinsic)
          .filter((resource) => resource.includes('/index/'))
          .map((resource) => `${name} ${resource.replace('GongkaiData-TableArn', '')}`),
      );
      expect(indexed.sort()).toEqual(
        [
          'get-submission /index/gsi1',
          'portal-api /index/gsi1',
          'portal-api /index/gsi2',
          'record-status /index/gsi1',
          'record-status /index/gsi2',
          'verify /index/gsi1',
          'web /index/gsi1',
          'web /index/gsi2',
          'verify /index/gsi2',
          'withdraw /index/gsi1',
          'withdraw /index/gsi2',
        ].sort(),
      );
    });

    it('lets only submit and the web pages (which submit too) start executions, only of the review state machine', () => {
      expect(FUNCTION_NAMES.filter((name) => grantsAction(name, 'states:StartExecution'))).toEqual([
        'submit',
        'web',
      ]);
      for (const name of ['submit', 'web'] as const) {
        const start = statementsOf(name).find((statement) =>
          asArray(statement.Action).includes('states:StartExecution'),
        );
        expect(resolveIntrinsic(start?.Resource), name).toBe(
          `arn:aws:states:cn-north-1:123456789012:stateMachine:${STATE_MACHINE_NAME}`,
        );
      }
    });

    it('lets only withdraw stop executions, only of the review state machine', () => {
      expect(FUNCTION_NAMES.filter((name) => grantsAction(name, 'states:StopExecution'))).toEqual([
        'withdraw',
      ]);
      const stop = statementsOf('withdraw').find((statement) =>
        asArray(statement.Action).includes('states:StopExecution'),
      );
      expect(resolveIntrinsic(stop?.Resource)).toBe(
        `arn:aws:states:cn-north-1:123456789012:execution:${STATE_MACHINE_NAME}:*`,
      );
    });

    it('lets only approval-page and request-approval answer task tokens', () => {
      expect(FUNCTION_NAMES.filter((name) => grantsAction(name, 'states:SendTaskSuccess'))).toEqual([
        'approval-page',
        'request-approval',
      ]);
      expect(FUNCTION_NAMES.filter((name) => grantsAction(name, 'states:SendTaskFailure'))).toEqual([
        'approval-page',
        'request-approval',
      ]);
    });

    it('lets only request-approval and notify send mail, and only from the sender identity', () => {
      expect(FUNCTION_NAMES.filter((name) => grantsAction(name, 'ses:SendEmail'))).toEqual([
        'request-approval',
        'notify',
      ]);
      const identityId = logicalIdOf(synth.pipeline.node.findChild('MailSender'));
      for (const name of ['request-approval', 'notify'] as const) {
        const mail = statementsOf(name).find((statement) =>
          asArray(statement.Action).includes('ses:SendEmail'),
        );
        expect(JSON.stringify(mail?.Resource)).toContain(identityId);
      }
    });

    it('limits S3 object access to the buckets, key prefixes and actions each function needs', () => {
      const objectGrants = (name: FunctionName) =>
        statementsOf(name)
          .filter((statement) => asArray(statement.Action).some((action) => action.endsWith('Object')))
          .flatMap((statement) =>
            asArray(statement.Action).flatMap((action) =>
              asArray(statement.Resource).map((resource) => `${action} ${resolveIntrinsic(resource)}`),
            ),
          )
          .sort();
      const uploads = 'GongkaiData-UploadsBucketArn/submissions/*';
      const work = 'GongkaiData-WorkBucketArn/submissions/*';
      const bundles = 'GongkaiData-PublishedBucketArn/bundles/*';
      const quarantine = 'GongkaiData-PublishedBucketArn/quarantine/*';
      const feeds = Object.values(STATIC_FEED_KEYS).map(
        (key) => `s3:PutObject GongkaiData-PublishedBucketArn/${key}`,
      );
      const expected: Record<FunctionName, string[]> = {
        'create-submission': [`s3:PutObject ${uploads}`],
        submit: [`s3:GetObject ${uploads}`],
        'get-submission': [`s3:GetObject ${work}`],
        withdraw: feeds,
        'approval-page': [`s3:GetObject ${work}`],
        'portal-api': [`s3:GetObject ${bundles}`],
        web: [
          `s3:GetObject ${uploads}`,
          `s3:PutObject ${uploads}`,
          `s3:GetObject ${work}`,
          `s3:GetObject ${bundles}`,
        ],
        validate: [`s3:GetObject ${uploads}`, `s3:PutObject ${work}`],
        deidentify: [`s3:GetObject ${work}`, `s3:PutObject ${work}`],
        'request-approval': [],
        publish: [`s3:GetObject ${work}`, `s3:PutObject ${bundles}`],
        verify: [
          `s3:GetObject ${bundles}`,
          `s3:DeleteObject ${bundles}`,
          `s3:GetObject ${quarantine}`,
          `s3:PutObject ${quarantine}`,
          ...feeds,
        ],
        notify: [],
        'record-status': feeds,
      };
      for (const name of FUNCTION_NAMES) expect(objectGrants(name), name).toEqual([...expected[name]].sort());
    });

    it('never lets a function bypass Object Lock or delete object versions', () => {
      const actions = allStatements().flatMap((statement) => asArray(statement.Action));
      expect(actions).not.toContain('s3:BypassGovernanceRetention');
      expect(actions).not.toContain('s3:DeleteObjectVersion');
      expect(actions).not.toContain('s3:PutObjectRetention');
    });

    it('uses only the data key, for the functions that touch encrypted data', () => {
      for (const name of FUNCTION_NAMES) {
        const kms = statementsOf(name).filter((statement) =>
          asArray(statement.Action).some((action) => action.startsWith('kms:')),
        );
        expect(kms, name).toHaveLength(1);
        expect(kms[0]?.Resource).toEqual({ 'Fn::ImportValue': 'GongkaiData-DataKeyArn' });
      }
    });
  });

  describe('HTTP API', () => {
    const routes = () => Object.values(resourcesOfType(synth.pipelineTemplate, 'AWS::ApiGatewayV2::Route'));

    it('serves exactly the routes of infra/routes.ts, both ways', () => {
      const deployed = routes()
        .map((route) => route.Properties?.RouteKey as string)
        .sort();
      expect(deployed).toEqual(ROUTES.map(routeKey).sort());
    });

    it('puts drafter routes behind the JWT authorizer and leaves approval and portal routes public', () => {
      for (const route of ROUTES) {
        const deployed = routes().find((candidate) => candidate.Properties?.RouteKey === routeKey(route));
        expect(deployed?.Properties?.AuthorizationType, routeKey(route)).toBe(
          route.auth === 'jwt' ? 'JWT' : 'NONE',
        );
      }
      expect(
        ROUTES.filter((route) => route.path.startsWith('/submissions')).every(
          (route) => route.auth === 'jwt',
        ),
      ).toBe(true);
    });

    it('takes the JWT issuer and audience from deployment parameters', () => {
      synth.pipelineTemplate.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
        AuthorizerType: 'JWT',
        JwtConfiguration: { Issuer: { Ref: 'JwtIssuer' }, Audience: { Ref: 'JwtAudience' } },
      });
      synth.pipelineTemplate.hasParameter('JwtIssuer', { Type: 'String' });
      synth.pipelineTemplate.hasParameter('JwtAudience', { Type: 'CommaDelimitedList' });
    });

    it('integrates every route with the function its table entry names', () => {
      const integrations = resourcesOfType(synth.pipelineTemplate, 'AWS::ApiGatewayV2::Integration');
      for (const route of ROUTES) {
        const deployed = routes().find((candidate) => candidate.Properties?.RouteKey === routeKey(route));
        const join = deployed?.Properties?.Target as
          | { 'Fn::Join': [string, [string, { Ref: string }]] }
          | undefined;
        const target = join?.['Fn::Join'][1][1].Ref ?? '';
        const uri = integrations[target]?.Properties?.IntegrationUri as { 'Fn::GetAtt': [string, string] };
        expect(uri['Fn::GetAtt'][0], routeKey(route)).toBe(
          logicalIdOf(synth.pipeline.functions[route.function].function),
        );
      }
    });

    it('logs the route template, never the request path that carries the link secret', () => {
      const stages = Object.values(resourcesOfType(synth.pipelineTemplate, 'AWS::ApiGatewayV2::Stage'));
      expect(stages).toHaveLength(1);
      const settings = stages[0]?.Properties?.AccessLogSettings as { Format: string };
      expect(settings.Format).toContain('$context.routeKey');
      expect(settings.Format).not.toMatch(/\$context\.(path|resourcePath)/);
      expect(stages[0]?.Properties?.DefaultRouteSettings).toMatchObject({
        ThrottlingRateLimit: expect.any(Number),
        ThrottlingBurstLimit: expect.any(Number),
      });
    });
  });

  describe('review workflow, mail and monitoring', () => {
    it('is one Standard state machine with a fixed name, logging without execution data, and tracing', () => {
      const machines = Object.values(
        resourcesOfType(synth.pipelineTemplate, 'AWS::StepFunctions::StateMachine'),
      );
      expect(machines).toHaveLength(1);
      const properties = machines[0]?.Properties ?? {};
      expect(properties.StateMachineName).toBe(STATE_MACHINE_NAME);
      expect(properties.StateMachineType).toBe('STANDARD');
      expect(properties.TracingConfiguration).toEqual({ Enabled: true });
      expect(properties.LoggingConfiguration).toMatchObject({ Level: 'ALL', IncludeExecutionData: false });
    });

    it('verifies the sender address given as the MailFrom parameter', () => {
      synth.pipelineTemplate.hasResourceProperties('AWS::SES::EmailIdentity', {
        EmailIdentity: { Ref: 'MailFrom' },
      });
    });

    it('alarms on failed executions, every function’s errors and approvals near their deadline', () => {
      const alarms = Object.values(resourcesOfType(synth.pipelineTemplate, 'AWS::CloudWatch::Alarm')).map(
        (alarm) => alarm.Properties ?? {},
      );
      expect(alarms).toContainEqual(
        expect.objectContaining({ Namespace: 'AWS/States', MetricName: 'ExecutionsFailed', Threshold: 1 }),
      );
      expect(alarms).toContainEqual(
        expect.objectContaining({
          Namespace: APPROVALS_NEAR_DEADLINE_METRIC.namespace,
          MetricName: APPROVALS_NEAR_DEADLINE_METRIC.metricName,
        }),
      );
      const functionAlarms = alarms.filter(
        (alarm) => alarm.Namespace === 'AWS/Lambda' && alarm.MetricName === 'Errors',
      );
      expect(functionAlarms).toHaveLength(FUNCTION_NAMES.length);
      const topics = Object.keys(resourcesOfType(synth.pipelineTemplate, 'AWS::SNS::Topic'));
      expect(topics).toHaveLength(1);
      for (const alarm of alarms) expect(alarm.AlarmActions).toEqual([{ Ref: topics[0] }]);
    });

    it('encrypts the alarm topic with a rotating key CloudWatch may use', () => {
      synth.pipelineTemplate.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
      synth.pipelineTemplate.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    });

    it('has a dashboard', () => {
      expect(Object.keys(resourcesOfType(synth.pipelineTemplate, 'AWS::CloudWatch::Dashboard'))).toHaveLength(
        1,
      );
    });
  });
});
