import { Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { FunctionName } from '../../shared/config/environment.js';
import { ROUTES, type RouteDefinition, routeKey } from '../routes.js';

/** Properties of the {@link SubmissionApi}. */
export interface SubmissionApiProps {
  /** Issuer URL of the drafters' identity provider (JWT `iss`). */
  readonly jwtIssuer: string;
  /** Accepted JWT audiences (`aud` / `client_id`). */
  readonly jwtAudience: string[];
  /** Steady-state requests per second across the API. @default 50 */
  readonly rateLimit?: number;
  /** @default 100 */
  readonly burstLimit?: number;
  /** @default one month */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * Access-log line: the route *template* (`GET /approvals/{token}`), never the request path, so the
 * approval link secret in the path never reaches a log.
 */
const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  ip: '$context.identity.sourceIp',
  routeKey: '$context.routeKey',
  status: '$context.status',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
});

/**
 * The HTTP API: drafter routes behind a JWT authorizer, approval routes public (the link secret is
 * the credential), portal routes public and read-only. Routes come from `infra/routes.ts` and are
 * added by {@link SubmissionApi.addRoutes} once the functions exist (one of them needs the API's URL).
 */
export class SubmissionApi extends Construct {
  readonly httpApi: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;
  readonly accessLogGroup: logs.LogGroup;
  private readonly authorizer: HttpJwtAuthorizer;

  constructor(scope: Construct, id: string, props: SubmissionApiProps) {
    super(scope, id);
    this.httpApi = new apigwv2.HttpApi(this, 'HttpApi', {
      description: 'gongkai: submissions (drafters), approvals (link holders), portal (public read-only)',
      createDefaultStage: false,
    });
    this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
    });
    this.stage = new apigwv2.HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.rateLimit ?? 50, burstLimit: props.burstLimit ?? 100 },
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(this.accessLogGroup),
        format: AccessLogFormat.custom(ACCESS_LOG_FORMAT),
      },
    });

    this.authorizer = new HttpJwtAuthorizer('DrafterAuthorizer', props.jwtIssuer, {
      jwtAudience: props.jwtAudience,
    });
  }

  /** Adds every route of `routes`, each integrated with the function named by its `function`. */
  addRoutes(
    functions: Partial<Record<FunctionName, lambda.IFunction>>,
    routes: readonly RouteDefinition[] = ROUTES,
  ): void {
    const integrations = new Map<FunctionName, HttpLambdaIntegration>();
    for (const route of routes) {
      const handler = functions[route.function];
      if (!handler) throw new Error(`SubmissionApi: no function given for route ${routeKey(route)}`);
      let integration = integrations.get(route.function);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${route.function}-integration`, handler);
        integrations.set(route.function, integration);
      }
      const routeId = routeKey(route).replace(/[^A-Za-z0-9]+/g, '-');
      const httpRoute = new apigwv2.HttpRoute(this, routeId, {
        httpApi: this.httpApi,
        routeKey: apigwv2.HttpRouteKey.with(route.path, apigwv2.HttpMethod[route.method]),
        integration,
        authorizer: route.auth === 'jwt' ? this.authorizer : undefined,
      });
      if (route.auth === 'public') {
        Validations.of(httpRoute).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: route.path.startsWith('/approvals/')
            ? 'Approval links are opened by approvers without an account: the 128-bit link secret in the path is the credential, checked (hashed, constant-time, single use, expiring) by the handler.'
            : route.function === 'web'
              ? 'Drafter pages answer a missing session with a redirect to sign-in, which the JWT authorizer cannot do: the web function verifies the gk_session cookie (a JWT) against the same JWKS, issuer and audience, and its forms are same-origin with a session-bound token; the portal preview pages are public and read-only.'
              : 'The portal API serves published, public documents read-only to government portals; it has no write routes.',
        });
      }
    }
  }

  /** The API's base URL (default stage), without a trailing slash. */
  get url(): string {
    return this.httpApi.apiEndpoint;
  }
}
