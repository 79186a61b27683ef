import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  DescribeExecutionCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalHandler } from '../../infra/local/handlers.js';
import type { LocalSystem } from '../../infra/local/system.js';
import { WorkflowErrors } from '../../shared/config/workflow.js';
import {
  removeDataDir,
  START_TIMEOUT_MS,
  startTestSystem,
  temporaryDataDir,
} from './support/local-system.js';

/**
 * The local Step Functions runtime itself, with the synthesized definition and test doubles for the
 * task handlers (the real handlers are exercised in review-workflow.test.ts): bindings, tokens,
 * Catch by error name, idempotent StartExecution, the event log, and a restart that loses nothing.
 */

interface Recorded {
  calls: string[];
  tokens: Map<string, string>;
}

function doubles(
  recorded: Recorded,
  options: { attribute?: string; steps?: number; timeoutSeconds?: number } = {},
) {
  const record = (label: string) => recorded.calls.push(label);
  const handlers: Record<string, LocalHandler> = {
    validate: async () => {
      record('validate');
      return {
        attribute: options.attribute ?? 'PROACTIVE',
        releaseAt: new Date(Date.now() - 1000).toISOString(),
        reviewSteps: Array.from({ length: options.steps ?? 2 }, (_, index) => ({
          stepId: `step-${index + 1}`,
          timeoutSeconds: options.timeoutSeconds ?? 3600,
        })),
      };
    },
    deidentify: async () => record('deidentify'),
    'request-approval': async (event) => {
      const input = event as { submissionId: string; stepId: string; attempt: number; taskToken: string };
      record(`request-approval ${input.stepId} ${input.attempt}`);
      recorded.tokens.set(`${input.submissionId} ${input.stepId} ${input.attempt}`, input.taskToken);
    },
    'record-status': async (event) => {
      const input = event as { status: string; reason: string; error?: { Error: string } };
      record(
        `record-status ${input.status} ${input.reason}${input.error === undefined ? '' : ` ${input.error.Error}`}`,
      );
    },
    publish: async () => {
      record('publish');
      return { bundleId: '01HZY8K3Q4M5N6P7R8S9T0V1B1', indexNumber: '640100-141/2019-00001' };
    },
    verify: async () => record('verify'),
    notify: async (event) => record(`notify ${(event as { outcome: string }).outcome}`),
  };
  return handlers;
}

async function waitFor<T>(read: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('Timed out waiting.');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function input(submissionId: string) {
  return JSON.stringify({ submissionId, revision: 1 });
}

describe('local Step Functions', () => {
  const recorded: Recorded = { calls: [], tokens: new Map() };
  let system: LocalSystem;
  let sfn: SFNClient;

  beforeAll(async () => {
    system = await startTestSystem({ handlers: doubles(recorded) });
    sfn = new SFNClient({
      endpoint: system.urls.aws,
      region: 'us-east-1',
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    sfn?.destroy();
    await system?.stop();
    if (system !== undefined) await removeDataDir(system.dataDir);
  });

  const start = (name: string, body = input(name)) =>
    sfn.send(new StartExecutionCommand({ stateMachineArn: system.stateMachineArn, name, input: body }));

  it('runs the synthesized definition to Published, one review step after the other', async () => {
    await start('run-a');
    const first = await waitFor(() => recorded.tokens.get('run-a step-1 0'));
    expect(recorded.tokens.has('run-a step-2 0')).toBe(false);
    await sfn.send(new SendTaskSuccessCommand({ taskToken: first, output: '{}' }));
    const second = await waitFor(() => recorded.tokens.get('run-a step-2 0'));
    await sfn.send(new SendTaskSuccessCommand({ taskToken: second, output: '{}' }));

    const done = await system.stepFunctions.waitUntilDone('run-a');

    expect(done?.status).toBe('SUCCEEDED');
    expect(first).not.toBe(second);
    expect(first.length).toBeGreaterThanOrEqual(32);
  });

  it('answers DescribeExecution like Step Functions', async () => {
    const described = await sfn.send(
      new DescribeExecutionCommand({
        executionArn: `${system.stateMachineArn.replace(':stateMachine:', ':execution:')}:run-a`,
      }),
    );

    expect(described).toMatchObject({ name: 'run-a', status: 'SUCCEEDED', input: input('run-a') });
    expect(described.startDate).toBeInstanceOf(Date);
  });

  it('routes a SendTaskFailure by its error name into the Catch that matches it', async () => {
    await start('run-b');
    const token = await waitFor(() => recorded.tokens.get('run-b step-1 0'));

    await sfn.send(
      new SendTaskFailureCommand({
        taskToken: token,
        error: WorkflowErrors.REVIEW_REJECTED,
        cause: 'rejected',
      }),
    );
    const done = await system.stepFunctions.waitUntilDone('run-b');

    expect(done?.status).toBe('SUCCEEDED');
    const events = await system.stepFunctions.events('run-b');
    const entered = events.filter((event) => event.type === 'StateEntered').map((event) => event.state);
    expect(entered).toEqual(expect.arrayContaining(['RecordReviewReturned', 'NotifyReturned', 'Returned']));
    expect(entered).not.toContain('Publish');
    // As in AWS, the Map starts no iteration after a failed one: the second step is never requested.
    expect(recorded.tokens.has('run-b step-2 0')).toBe(false);
  });

  it('refuses a token that no longer waits, as TaskDoesNotExist', async () => {
    const token = recorded.tokens.get('run-a step-1 0') ?? '';

    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })),
    ).rejects.toMatchObject({
      name: 'TaskDoesNotExist',
    });
  });

  it('starts nothing for a name already used: same input while running succeeds, other input is ExecutionAlreadyExists', async () => {
    const first = await start('run-c');
    const again = await start('run-c');

    expect(again.executionArn).toBe(first.executionArn);
    await expect(
      start('run-c', JSON.stringify({ submissionId: 'other', revision: 1 })),
    ).rejects.toMatchObject({
      name: 'ExecutionAlreadyExists',
    });
    await waitFor(() => recorded.tokens.get('run-c step-1 0'));
    expect(recorded.calls.filter((call) => call === 'validate')).toHaveLength(3);
    await system.stepFunctions.stopExecution({ executionArn: first.executionArn });
    expect(system.stepFunctions.execution('run-c')?.status).toBe('ABORTED');
    await expect(start('run-c')).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
  });

  it('keeps an event log with states and transition counts but no payload data', async () => {
    const events = await system.stepFunctions.events('run-a');
    const record = system.stepFunctions.execution('run-a');
    const text = await readFile(path.join(system.dataDir, 'executions', 'run-a.events.jsonl'), 'utf8');

    const entered = events.filter((event) => event.type === 'StateEntered');
    expect(record?.transitions).toBe(entered.length);
    expect(entered.map((event) => event.state)).toEqual([
      'Validate',
      'RouteByAttribute',
      'Deidentify',
      'ReleaseReview',
      'ReleaseRequestApproval',
      'ReleaseRequestApproval',
      'RecordScheduled',
      'WaitForRelease',
      'Publish',
      'Verify',
      'RecordPublished',
      'NotifyPublished',
      'Published',
    ]);
    expect(entered.find((event) => event.state === 'WaitForRelease')?.stateType).toBe('Wait');
    expect(text).not.toContain('run-a"');
    expect(text).not.toContain('submissionId');
    expect(text).not.toContain('01HZY8K3Q4M5N6P7R8S9T0V1B1');
  });
});

describe('local Step Functions across a restart', () => {
  it(
    'resumes a waiting execution from its checkpoint and the token mailed before the restart still decides it',
    async () => {
      const dataDir = await temporaryDataDir();
      const before: Recorded = { calls: [], tokens: new Map() };
      const first = await startTestSystem({ dataDir, handlers: doubles(before) });
      const ports = first.ports;
      const client = (system: LocalSystem) =>
        new SFNClient({
          endpoint: system.urls.aws,
          region: 'us-east-1',
          credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
        });
      let sfn = client(first);
      let second: LocalSystem | undefined;
      try {
        await sfn.send(
          new StartExecutionCommand({
            stateMachineArn: first.stateMachineArn,
            name: 'restart-a',
            input: input('restart-a'),
          }),
        );
        const stepOne = await waitFor(() => before.tokens.get('restart-a step-1 0'));
        await sfn.send(new SendTaskSuccessCommand({ taskToken: stepOne, output: '{}' }));
        const stepTwo = await waitFor(() => before.tokens.get('restart-a step-2 0'));
        await first.stop();
        sfn.destroy();

        const after: Recorded = { calls: [], tokens: new Map() };
        second = await startTestSystem({
          dataDir,
          port: ports.api,
          s3Port: ports.s3,
          dynamoPort: ports.dynamodb,
          awsPort: ports.aws,
          handlers: doubles(after),
        });
        sfn = client(second);

        expect(second.resumed).toEqual(['restart-a']);
        expect(second.stepFunctions.execution('restart-a')?.status).toBe('RUNNING');
        await sfn.send(new SendTaskSuccessCommand({ taskToken: stepTwo, output: '{}' }));
        const done = await second.stepFunctions.waitUntilDone('restart-a');

        expect(done?.status).toBe('SUCCEEDED');
        // Nothing ran twice: no approval was requested again, and the execution ran on from its checkpoint.
        expect(after.calls.filter((call) => call.startsWith('request-approval'))).toEqual([]);
        expect(after.calls).not.toContain('validate');
        expect(after.calls).toEqual(expect.arrayContaining(['publish', 'verify', 'notify PUBLISHED']));
        const events = await second.stepFunctions.events('restart-a');
        expect(events.map((event) => event.type)).toContain('ExecutionResumed');
      } finally {
        sfn.destroy();
        await first.stop();
        await second?.stop();
        await removeDataDir(dataDir);
      }
    },
    3 * START_TIMEOUT_MS,
  );
});

describe('local Step Functions timeouts', () => {
  it(
    'times out an unanswered review step, sends the reminders, then expires the review',
    async () => {
      const recorded: Recorded = { calls: [], tokens: new Map() };
      const system = await startTestSystem({ handlers: doubles(recorded, { steps: 1, timeoutSeconds: 1 }) });
      try {
        await system.stepFunctions.startExecution({
          stateMachineArn: system.stateMachineArn,
          name: 'timeout-a',
          input: input('timeout-a'),
        });
        const done = await system.stepFunctions.waitUntilDone('timeout-a', 20_000);

        expect(done?.status).toBe('FAILED');
        expect(done?.error).toBe(WorkflowErrors.REVIEW_EXPIRED);
        expect(recorded.calls.filter((call) => call.startsWith('request-approval'))).toEqual([
          'request-approval step-1 0',
          'request-approval step-1 1',
          'request-approval step-1 2',
        ]);
        expect(recorded.calls).toContain(`record-status FAILED REVIEW_EXPIRED States.Timeout`);
        const timedOut = recorded.tokens.get('timeout-a step-1 0') ?? '';
        await expect(
          system.stepFunctions.sendTaskSuccess({ taskToken: timedOut, output: '{}' }),
        ).rejects.toMatchObject({
          code: 'TaskTimedOut',
        });
      } finally {
        await system.stop();
        await removeDataDir(system.dataDir);
      }
    },
    START_TIMEOUT_MS,
  );
});
