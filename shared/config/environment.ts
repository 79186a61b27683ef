import * as z from 'zod/mini';
import { useEnglishZodMessages } from '../zod-locale.js';

/**
 * One zod schema per Lambda function's environment.
 *
 * The same schema is used twice: the CDK construct (`infra/constructs/gongkai-function.ts`) takes
 * `environment: z.input<typeof Schema>`, so a missing or misspelt variable is a compile error at
 * synth time, and the handler calls {@link parseEnvironment} at cold start, so a bad deployment
 * fails on its first invocation with a message naming the variable instead of deep inside a call.
 *
 * Every input value is a string (Lambda environment variables are strings); schemas may default
 * and transform, but never require a non-string input.
 */

useEnglishZodMessages();

const NonEmpty = z.string().check(z.trim(), z.minLength(1));

/** A whole number given as a string (environment variables are strings), with bounds and a default. */
function wholeNumber(min: number, max: number, fallback: number) {
  return z.prefault(
    z.pipe(
      z.pipe(z.string().check(z.regex(/^\d+$/, { error: 'must be a whole number' })), z.transform(Number)),
      z.number().check(z.int(), z.gte(min), z.lte(max)),
    ),
    String(fallback),
  );
}

/** Log levels understood by Powertools Logger. */
export const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'] as const;

/** Variables every function has; the construct fills the defaults. */
export const BaseEnvironmentSchema = z.object({
  POWERTOOLS_SERVICE_NAME: z._default(NonEmpty, 'gongkai'),
  LOG_LEVEL: z._default(z.enum(LOG_LEVELS), 'INFO'),
});

const TableEnvironment = { TABLE_NAME: NonEmpty };
const UploadsEnvironment = { UPLOADS_BUCKET: NonEmpty };
const WorkEnvironment = { WORK_BUCKET: NonEmpty };
const PublishedEnvironment = { PUBLISHED_BUCKET: NonEmpty };
const StateMachineEnvironment = {
  STATE_MACHINE_ARN: z.string().check(
    z.regex(/^arn:aws[a-z-]*:states:[^:]*:[^:]*:stateMachine:[A-Za-z0-9_-]+$/, {
      error: 'STATE_MACHINE_ARN must be a Step Functions state machine ARN',
    }),
  ),
};
const MailEnvironment = {
  MAIL_FROM: z.email({ error: 'MAIL_FROM must be an e-mail address (the SES sender)' }),
};

/** POST /submissions: records the submission, returns presigned PUT URLs. */
export const CreateSubmissionEnvironmentSchema = z.extend(BaseEnvironmentSchema, {
  ...TableEnvironment,
  ...UploadsEnvironment,
  /** Lifetime of each presigned PUT URL, in seconds. */
  UPLOAD_URL_TTL_SECONDS: wholeNumber(60, 3600, 900),
});

/** POST /submissions/{id}/submit: checks the uploads, starts the review execution. */
export const SubmitEnvironmentSchema = z.extend(BaseEnvironmentSchema, {
  ...TableEnvironment,
  ...UploadsEnvironment,
  ...StateMachineEnvironment,
});

/** GET /submissions and GET /submissions/{id}: status, review progress, deadline, findings, audit trail. */
export const GetSubmissionEnvironmentSchema = z.extend(BaseEnvironmentSchema, {
  ...TableEnvironment,
  ...WorkEnvironment,
});

/** POST /submissions/{id}/withdraw: 效力状态 change as a catalog event, static feeds rewritten; stops a scheduled execution. */
export const WithdrawEnvironmentSchema = z.extend(BaseEnvironmentSchema, {
  ...TableEnvironment,
  ...PublishedEnvironment,
  ...StateMachineEnvironment,
});

/** GET|HEAD|POST /approvals/{token}: the approver's page and decision. */
export const ApprovalPageEnvironmentSchema = z.extend(BaseEnvironmentSchema, {
  ...TableEnvironment,
  ...WorkEnvironment,
});

/** GET /portal/...: catalog, change feed, manifests and files (read-only). */
export const PortalApiEnvironmentSchema = z.extend(BaseEnvironmentSchema, {
  ...TableEnvironment,
  ...PublishedEnvironment,
  /** Page size of /portal/catalog and /portal/changes. */
  PORTAL_PAGE_SIZE: wholeNumber(1, 1000, 100),
});

/**
 * GET /app…, POST /app/submissions… and GET /portal/view…: the drafter's pages and the portal
 * preview. The route is public at the gateway: the page checks the `gk_session` cookie itself,
 * against the identity provider's JWKS, issuer and audience (the same the JWT authorizer uses).
 */
export const WebEnvironmentSchema = z.extend(BaseEnvironmentSchema, {
  ...TableEnvironment,
  ...UploadsEnvironment,
  ...WorkEnvironment,
  ...PublishedEnvironment,
  ...StateMachineEnvironment,
  /** The identity provider's JWKS (fetched once per container, again on an unknown key id). */
  JWKS_URL: z.url({ protocol: /^https?$/, error: 'JWKS_URL must be an http(s) URL of the JWKS' }),
  /** The one accepted `iss`. */
  JWT_ISSUER: NonEmpty,
  /** Accepted audiences (`aud` or `client_id`), comma-separated. */
  JWT_AUDIENCE: z.pipe(
    NonEmpty,
    z.transform((value: string) =>
      value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== ''),
    ),
  ),
  /** Where a page request without a valid session is redirected (the IdP's sign-in, or `/local/sign-in`). */
  SIGN_IN_URL: z.string().check(
    z.trim(),
    z.regex(/^(https?:\/\/|\/(?!\/))\S*$/, {
      error: 'SIGN_IN_URL must be an http(s) URL or a path starting with a single /',
    }),
  ),
});

/** Task Validate: intake of the uploads into normalized text in `work`. */
export const ValidateEnvironmentSchema = z.extend(BaseEnvironmentSchema, {
  ...TableEnvironment,
  ...UploadsEnvironment,
  ...WorkEnvironment,
});

/** Task Deidentify: the de-identification engine over the normalized text in `work`. */
export const DeidentifyEnvironmentSchema = z.extend(BaseEnvironmentSchema, {
  ...TableEnvironment,
  ...WorkEnvironment,
});

/** Task RequestApproval (waitForTaskToken): creates approval links and mails them; re-sends as reminders. */
export const RequestApprovalEnvironmentSchema = z.extend(BaseEnvironmentSchema, {
  ...TableEnvironment,
  ...MailEnvironment,
  /** Base of the e-mailed link; the link is `${APPROVAL_BASE_URL}/${token}`. */
  APPROVAL_BASE_URL: z.url({ protocol: /^https?$/, error: 'APPROVAL_BASE_URL must be an http(s) URL' }),
  /** CloudWatch namespace of the `ApprovalsNearDeadline` metric (written as EMF to stdout). */
  METRICS_NAMESPACE: z._default(NonEmpty, 'Gongkai'),
});

/** Task Publish: 索引号, bundle files, manifest, catalog entry. */
export const PublishEnvironmentSchema = z.extend(BaseEnvironmentSchema, {
  ...TableEnvironment,
  ...WorkEnvironment,
  ...PublishedEnvironment,
});

/** Task Verify: re-reads the bundle, checks hashes, re-scans for personal data; rewrites the static feeds. */
export const VerifyEnvironmentSchema = z.extend(BaseEnvironmentSchema, {
  ...TableEnvironment,
  ...PublishedEnvironment,
});

/** Task Notify: tells the drafter the outcome. */
export const NotifyEnvironmentSchema = z.extend(BaseEnvironmentSchema, {
  ...TableEnvironment,
  ...MailEnvironment,
});

/**
 * Task RecordStatus: records a status change and audit event; on REVIEW_EXPIRED revokes the links;
 * a FAILED revision whose bundle was listed is withdrawn from the catalog and the static feeds rewritten.
 */
export const RecordStatusEnvironmentSchema = z.extend(BaseEnvironmentSchema, {
  ...TableEnvironment,
  ...PublishedEnvironment,
});

/** Schema of every function's environment, by function name (the `functions/<name>.ts` file). */
export const ENVIRONMENT_SCHEMAS = {
  'create-submission': CreateSubmissionEnvironmentSchema,
  submit: SubmitEnvironmentSchema,
  'get-submission': GetSubmissionEnvironmentSchema,
  withdraw: WithdrawEnvironmentSchema,
  'approval-page': ApprovalPageEnvironmentSchema,
  'portal-api': PortalApiEnvironmentSchema,
  web: WebEnvironmentSchema,
  validate: ValidateEnvironmentSchema,
  deidentify: DeidentifyEnvironmentSchema,
  'request-approval': RequestApprovalEnvironmentSchema,
  publish: PublishEnvironmentSchema,
  verify: VerifyEnvironmentSchema,
  notify: NotifyEnvironmentSchema,
  'record-status': RecordStatusEnvironmentSchema,
} as const;

/** Name of a Lambda function, equal to its entry file `functions/<name>.ts`. */
export type FunctionName = keyof typeof ENVIRONMENT_SCHEMAS;

/** Every function name, in a stable order. */
export const FUNCTION_NAMES = Object.keys(ENVIRONMENT_SCHEMAS) as FunctionName[];

/** The environment a function's construct must provide (before defaults are applied). */
export type EnvironmentInput<N extends FunctionName> = z.input<(typeof ENVIRONMENT_SCHEMAS)[N]>;

/** The environment a handler sees after {@link parseEnvironment}. */
export type Environment<N extends FunctionName> = z.output<(typeof ENVIRONMENT_SCHEMAS)[N]>;

/** The environment is missing a variable or has a malformed one; raised at cold start. */
export class EnvironmentConfigurationError extends Error {
  constructor(
    message: string,
    readonly issues: ReadonlyArray<{ variable: string; problem: string }>,
  ) {
    super(message);
    this.name = 'EnvironmentConfigurationError';
  }
}

/**
 * Validates `env` against `schema` and returns the typed result.
 *
 * Throws {@link EnvironmentConfigurationError} listing every bad variable by name (never its value,
 * which might be a secret) so the deployment can be fixed from the first log line.
 */
export function parseEnvironment<S extends z.ZodMiniType>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.output<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    variable: issue.path.map(String).join('.') || '(environment)',
    problem: issue.message,
  }));
  const list = issues.map((issue) => `${issue.variable}: ${issue.problem}`).join('; ');
  throw new EnvironmentConfigurationError(
    `The function's environment is misconfigured (${list}). Fix the deployment (infra/stacks/pipeline-stack.ts) and redeploy.`,
    issues,
  );
}
