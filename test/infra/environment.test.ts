import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/constructs/gongkai-function.js';
import { HTTP_FUNCTIONS, ROUTES } from '../../infra/routes.js';
import {
  CreateSubmissionEnvironmentSchema,
  EnvironmentConfigurationError,
  FUNCTION_NAMES,
  PortalApiEnvironmentSchema,
  parseEnvironment,
  RequestApprovalEnvironmentSchema,
  SubmitEnvironmentSchema,
} from '../../shared/config/environment.js';
import {
  executionName,
  MAX_REVIEW_STEP_TIMEOUT_SECONDS,
  RecordStatusInputSchema,
  RequestApprovalInputSchema,
  ValidateOutputSchema,
} from '../../shared/config/workflow.js';

describe('Function: parseEnvironment', () => {
  it('returns the typed environment with defaults applied', () => {
    // Act
    const environment = parseEnvironment(PortalApiEnvironmentSchema, {
      TABLE_NAME: 'gongkai-table',
      PUBLISHED_BUCKET: 'gongkai-published',
    });

    // Assess
    expect(environment).toEqual({
      TABLE_NAME: 'gongkai-table',
      PUBLISHED_BUCKET: 'gongkai-published',
      PORTAL_PAGE_SIZE: 100,
      POWERTOOLS_SERVICE_NAME: 'gongkai',
      LOG_LEVEL: 'INFO',
    });
  });

  it('turns whole-number variables into numbers and enforces their bounds', () => {
    const base = { TABLE_NAME: 't', UPLOADS_BUCKET: 'u' };
    expect(
      parseEnvironment(CreateSubmissionEnvironmentSchema, { ...base, UPLOAD_URL_TTL_SECONDS: '600' }),
    ).toMatchObject({
      UPLOAD_URL_TTL_SECONDS: 600,
    });
    expect(() =>
      parseEnvironment(CreateSubmissionEnvironmentSchema, { ...base, UPLOAD_URL_TTL_SECONDS: '5' }),
    ).toThrow(/UPLOAD_URL_TTL_SECONDS/);
    expect(() =>
      parseEnvironment(CreateSubmissionEnvironmentSchema, { ...base, UPLOAD_URL_TTL_SECONDS: 'soon' }),
    ).toThrow(/UPLOAD_URL_TTL_SECONDS: must be a whole number/);
  });

  it('names every missing or malformed variable in one error', () => {
    // Act
    const attempt = () =>
      parseEnvironment(SubmitEnvironmentSchema, {
        UPLOADS_BUCKET: 'u',
        STATE_MACHINE_ARN: 'not-an-arn',
        LOG_LEVEL: 'LOUD',
      });

    // Assess
    expect(attempt).toThrow(EnvironmentConfigurationError);
    try {
      attempt();
    } catch (error) {
      const variables = (error as EnvironmentConfigurationError).issues.map((issue) => issue.variable).sort();
      expect(variables).toEqual(['LOG_LEVEL', 'STATE_MACHINE_ARN', 'TABLE_NAME']);
      expect((error as Error).message).toMatch(/^The function's environment is misconfigured \(/);
    }
  });

  it('never repeats a variable’s value in the error', () => {
    const attempt = () =>
      parseEnvironment(RequestApprovalEnvironmentSchema, {
        TABLE_NAME: 't',
        MAIL_FROM: 'not-an-address-s3cr3t',
        APPROVAL_BASE_URL: 'ftp://internal-host-s3cr3t/approvals',
      });
    expect(attempt).toThrow(/MAIL_FROM.*APPROVAL_BASE_URL|APPROVAL_BASE_URL.*MAIL_FROM/);
    expect(attempt).not.toThrow(/s3cr3t/);
  });

  it('accepts a real state machine ARN, including in China regions', () => {
    const environment = parseEnvironment(SubmitEnvironmentSchema, {
      TABLE_NAME: 't',
      UPLOADS_BUCKET: 'u',
      STATE_MACHINE_ARN: 'arn:aws-cn:states:cn-north-1:123456789012:stateMachine:gongkai-review',
    });
    expect(environment.STATE_MACHINE_ARN).toContain(':stateMachine:gongkai-review');
  });

  it('reads process.env when no environment is given', () => {
    expect(() => parseEnvironment(SubmitEnvironmentSchema)).toThrow(EnvironmentConfigurationError);
  });
});

describe('Functions and routes', () => {
  it('has an entry file exporting a handler for every function with an environment schema', () => {
    for (const name of FUNCTION_NAMES)
      expect(existsSync(path.join(PROJECT_ROOT, 'functions', `${name}.ts`)), name).toBe(true);
  });

  it('routes only to functions that exist, with unique route keys', () => {
    for (const name of HTTP_FUNCTIONS) expect(FUNCTION_NAMES).toContain(name);
    const keys = ROUTES.map((route) => `${route.method} ${route.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('keeps approval routes on GET, HEAD and POST of one path and portal routes read-only', () => {
    expect(
      ROUTES.filter((route) => route.function === 'approval-page')
        .map((route) => `${route.method} ${route.path}`)
        .sort(),
    ).toEqual(['GET /approvals/{token}', 'HEAD /approvals/{token}', 'POST /approvals/{token}']);
    for (const route of ROUTES.filter((candidate) => candidate.path.startsWith('/portal/'))) {
      expect(route.method).toBe('GET');
      expect(route.auth).toBe('public');
    }
  });
});

describe('Workflow contract', () => {
  it('names executions <submissionId>-r<revision>', () => {
    expect(executionName('01J8Z3Q9W7K2M4N6P8R0S2T4V6', 3)).toBe('01J8Z3Q9W7K2M4N6P8R0S2T4V6-r3');
  });

  it('accepts what Validate returns and refuses a review step without a usable timeout', () => {
    const output = {
      attribute: 'PROACTIVE',
      releaseAt: '2026-12-01T09:00:00+08:00',
      reviewSteps: [
        { stepId: 'disclosure-review', timeoutSeconds: 259_200 },
        { stepId: 'sign-off', timeoutSeconds: 172_800 },
      ],
    };
    expect(ValidateOutputSchema.parse(output)).toEqual(output);
    const stepWith = (timeoutSeconds: number) => ({
      ...output,
      reviewSteps: [{ stepId: 's', timeoutSeconds }],
    });
    expect(ValidateOutputSchema.safeParse(stepWith(0)).success).toBe(false);
    expect(ValidateOutputSchema.safeParse(stepWith(1.5)).success).toBe(false);
    expect(ValidateOutputSchema.safeParse(stepWith(MAX_REVIEW_STEP_TIMEOUT_SECONDS + 1)).success).toBe(false);
    expect(ValidateOutputSchema.safeParse({ ...output, reviewSteps: [] }).success).toBe(false);
  });

  it('accepts the payloads the state machine sends', () => {
    expect(
      RequestApprovalInputSchema.parse({
        submissionId: 's',
        revision: 1,
        stepId: 'sign-off',
        attempt: 2,
        taskToken: 'token',
      }).attempt,
    ).toBe(2);
    expect(
      RecordStatusInputSchema.parse({
        submissionId: 's',
        revision: 1,
        status: 'FAILED',
        reason: 'REVIEW_EXPIRED',
        stepId: 'sign-off',
        error: { Error: 'States.Timeout', Cause: '' },
      }).reason,
    ).toBe('REVIEW_EXPIRED');
  });
});
