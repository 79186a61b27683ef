import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_NAME_TAG } from '../../infra/constructs/gongkai-function.js';
import { LAMBDA_SERVICE_ERRORS, TRANSIENT_SERVICE_ERRORS } from '../../infra/constructs/review-workflow.js';
import {
  DefinitionExtractionError,
  extractStateMachineDefinition,
  localFunctionArn,
} from '../../infra/local/definition.js';
import { MAX_REMINDERS, SUBMISSION_REJECTED_ERRORS, WorkflowErrors } from '../../shared/config/workflow.js';
import * as documentErrors from '../../shared/documents/errors.js';
import { synthGongkai } from './support.js';

/** One state of an Amazon States Language definition (only the fields these tests read). */
interface State {
  Type: string;
  Next?: string;
  End?: boolean;
  Default?: string;
  Choices?: Array<Record<string, unknown> & { Next: string }>;
  Catch?: Array<{ ErrorEquals: string[]; Next: string; ResultPath?: string | null }>;
  Retry?: Array<{
    ErrorEquals: string[];
    BackoffRate?: number;
    MaxDelaySeconds?: number;
    JitterStrategy?: string;
    MaxAttempts?: number;
  }>;
  Resource?: string;
  Parameters?: { FunctionName?: string; Payload?: Record<string, unknown> } & Record<string, unknown>;
  TimeoutSeconds?: number;
  TimeoutSecondsPath?: string;
  TimestampPath?: string;
  ResultPath?: string | null;
  ResultSelector?: Record<string, string>;
  ItemsPath?: string;
  ItemSelector?: Record<string, unknown>;
  MaxConcurrency?: number;
  ItemProcessor?: Machine;
  Error?: string;
}

interface Machine {
  StartAt: string;
  States: Record<string, State>;
}

/** Every state, including those inside Map item processors, with the machine that holds it. */
function allStates(machine: Machine): Array<{ name: string; state: State; machine: Machine }> {
  return Object.entries(machine.States).flatMap(([name, state]) => [
    { name, state, machine },
    ...(state.ItemProcessor ? allStates(state.ItemProcessor) : []),
  ]);
}

/** Names of the states a state may transition to (Next, Default, Choices, Catch). */
function successors(state: State): string[] {
  return [
    ...(state.Next ? [state.Next] : []),
    ...(state.Default ? [state.Default] : []),
    ...(state.Choices ?? []).map((choice) => choice.Next),
    ...(state.Catch ?? []).map((catcher) => catcher.Next),
  ];
}

/** States reachable from `start` in `machine`, entering Map item processors. */
function reachable(machine: Machine, start: string): Array<{ name: string; state: State }> {
  const seen = new Set<string>();
  const found: Array<{ name: string; state: State }> = [];
  const visit = (current: Machine, name: string) => {
    const key = `${current.StartAt}/${name}`;
    if (seen.has(key)) return;
    seen.add(key);
    const state = current.States[name];
    if (!state) throw new Error(`transition to unknown state ${name}`);
    found.push({ name, state });
    if (state.ItemProcessor) visit(state.ItemProcessor, state.ItemProcessor.StartAt);
    for (const next of successors(state)) visit(current, next);
  };
  visit(machine, start);
  return found;
}

const taskFunction = (state: State) => state.Parameters?.FunctionName;

describe('Construct: ReviewWorkflow (read from the synthesized template)', () => {
  let machine: Machine;
  let functionNameByArn: Record<string, string>;
  let template: Record<string, unknown>;

  beforeAll(() => {
    const synth = synthGongkai();
    template = synth.pipelineTemplate.toJSON();
    const extracted = extractStateMachineDefinition(template);
    machine = extracted.definition as unknown as Machine;
    functionNameByArn = extracted.functionNameByArn;
  });

  const tasks = () => allStates(machine).filter(({ state }) => state.Type === 'Task');
  const stateNamed = (name: string): State => {
    const found = allStates(machine).find((entry) => entry.name === name);
    if (!found) throw new Error(`no state ${name}`);
    return found.state;
  };
  const isTaskOf = (state: State, name: string) =>
    state.Type === 'Task' && taskFunction(state) === localFunctionArn(name);

  describe('definition extraction for local mode', () => {
    it('resolves every task function to a local ARN named after its handler', () => {
      expect(Object.values(functionNameByArn).sort()).toEqual(
        ['deidentify', 'notify', 'publish', 'record-status', 'request-approval', 'validate', 'verify'].sort(),
      );
      for (const { state } of tasks()) expect(functionNameByArn[taskFunction(state) ?? '']).toBeDefined();
    });

    it('leaves no CloudFormation intrinsic in the definition', () => {
      const text = JSON.stringify(machine);
      expect(text).not.toMatch(/Fn::|"Ref"|\$\{Token/);
    });

    it('reads the handler name from the tag the Lambda construct sets', () => {
      expect(FUNCTION_NAME_TAG).toBe('gongkai:function');
    });

    it('refuses a template without exactly one state machine', () => {
      expect(() => extractStateMachineDefinition({ Resources: {} })).toThrow(DefinitionExtractionError);
    });

    it('refuses an intrinsic it cannot resolve instead of guessing', () => {
      const broken = {
        Resources: {
          Machine: {
            Type: 'AWS::StepFunctions::StateMachine',
            Properties: {
              DefinitionString: { 'Fn::Join': ['', ['{"a":"', { Ref: 'SomeParameter' }, '"}']] },
            },
          },
        },
      };
      expect(() => extractStateMachineDefinition(broken)).toThrow(/SomeParameter/);
    });

    it('refuses a function without the handler tag', () => {
      const untagged = {
        Resources: {
          Fn: { Type: 'AWS::Lambda::Function', Properties: {} },
          Machine: {
            Type: 'AWS::StepFunctions::StateMachine',
            Properties: {
              DefinitionString: { 'Fn::Join': ['', ['{"a":"', { 'Fn::GetAtt': ['Fn', 'Arn'] }, '"}']] },
            },
          },
        },
      };
      expect(() => extractStateMachineDefinition(untagged)).toThrow(/gongkai:function/);
    });
  });

  describe('every Task', () => {
    it('invokes Lambda through the lambda:invoke integration', () => {
      expect(tasks().length).toBeGreaterThan(10);
      for (const { name, state } of tasks()) {
        expect(state.Resource, name).toMatch(/^arn:aws:states:::lambda:invoke(\.waitForTaskToken)?$/);
      }
    });

    it('has an explicit timeout', () => {
      for (const { name, state } of tasks()) {
        expect(state.TimeoutSeconds !== undefined || state.TimeoutSecondsPath !== undefined, name).toBe(true);
      }
    });

    it('retries Lambda service errors with backoff, a maximum delay and full jitter', () => {
      for (const { name, state } of tasks()) {
        const retry = state.Retry?.find((retrier) => retrier.ErrorEquals.includes('Lambda.ServiceException'));
        expect(retry, name).toBeDefined();
        expect(retry?.ErrorEquals).toEqual(
          expect.arrayContaining([
            'Lambda.ServiceException',
            'Lambda.AWSLambdaException',
            'Lambda.SdkClientException',
            'Lambda.TooManyRequestsException',
          ]),
        );
        expect(retry?.BackoffRate, name).toBeGreaterThan(1);
        expect(retry?.MaxDelaySeconds, name).toBeGreaterThan(0);
        expect(retry?.JitterStrategy, name).toBe('FULL');
        // Only service errors are retried: a handler's own error is a decision, not a glitch.
        for (const retrier of state.Retry ?? []) {
          for (const error of retrier.ErrorEquals)
            expect([...LAMBDA_SERVICE_ERRORS, ...TRANSIENT_SERVICE_ERRORS], name).toContain(error);
        }
        // A transient S3 or DynamoDB error the handler passes on runs the (idempotent) task again.
        const transient = state.Retry?.find((retrier) => retrier.ErrorEquals.includes('ServiceUnavailable'));
        expect(transient?.ErrorEquals, name).toEqual(TRANSIENT_SERVICE_ERRORS);
        expect(transient?.JitterStrategy, name).toBe('FULL');
      }
    });

    it('has a Catch', () => {
      for (const { name, state } of tasks()) expect(state.Catch?.length, name).toBeGreaterThan(0);
    });

    it('keeps the state small: results are discarded or reduced to named fields', () => {
      for (const { name, state } of tasks()) {
        if (state.ResultPath === null) continue;
        expect(state.ResultSelector, name).toBeDefined();
        for (const path of Object.values(state.ResultSelector ?? {}))
          expect(path, name).toMatch(/^\$\.Payload\.\w+$/);
      }
    });

    it('passes only ids, flags and caught errors to the functions', () => {
      const allowedPayloadKeys = new Set([
        'submissionId.$',
        'revision.$',
        'stepId.$',
        'attempt.$',
        'taskToken.$',
        'bundleId.$',
        'error.$',
        'status',
        'reason',
        'outcome',
      ]);
      for (const { name, state } of tasks()) {
        for (const key of Object.keys(state.Parameters?.Payload ?? {}))
          expect(allowedPayloadKeys, `${name}.${key}`).toContain(key);
      }
    });
  });

  describe('the review steps', () => {
    const reviewMaps = () => allStates(machine).filter(({ state }) => state.Type === 'Map');

    it('runs the steps of $.validation.reviewSteps one at a time', () => {
      expect(
        reviewMaps()
          .map(({ name }) => name)
          .sort(),
      ).toEqual(['RegistrationReview', 'ReleaseReview']);
      for (const { state } of reviewMaps()) {
        expect(state.ItemsPath).toBe('$.validation.reviewSteps');
        expect(state.MaxConcurrency).toBe(1);
        expect(state.ItemSelector).toMatchObject({
          'stepId.$': '$$.Map.Item.Value.stepId',
          'timeoutSeconds.$': '$$.Map.Item.Value.timeoutSeconds',
          attempt: 0,
        });
      }
    });

    it('waits for the approver with a task token and the step’s own timeout', () => {
      for (const { state } of reviewMaps()) {
        const processor = state.ItemProcessor as Machine;
        const request = processor.States[processor.StartAt] as State;
        expect(request.Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
        expect(taskFunction(request)).toBe(localFunctionArn('request-approval'));
        expect(request.TimeoutSecondsPath).toBe('$.timeoutSeconds');
        expect(request.Parameters?.Payload).toEqual({
          'submissionId.$': '$.submissionId',
          'revision.$': '$.revision',
          'stepId.$': '$.stepId',
          'attempt.$': '$.attempt',
          'taskToken.$': '$$.Task.Token',
        });
      }
    });

    it('uses waitForTaskToken only for the approval requests', () => {
      const waiting = tasks().filter(({ state }) => state.Resource?.endsWith('.waitForTaskToken'));
      expect(waiting).toHaveLength(2);
      for (const { state } of waiting) expect(taskFunction(state)).toBe(localFunctionArn('request-approval'));
    });

    it('reminds a bounded number of times on timeout, then records the expiry and fails', () => {
      for (const { state } of reviewMaps()) {
        const processor = state.ItemProcessor as Machine;
        const request = processor.States[processor.StartAt] as State;
        const onTimeout = request.Catch?.find((catcher) => catcher.ErrorEquals.includes('States.Timeout'));
        const choice = processor.States[onTimeout?.Next ?? ''] as State;
        expect(choice.Type).toBe('Choice');
        expect(choice.Choices?.[0]).toMatchObject({ Variable: '$.attempt', NumericLessThan: MAX_REMINDERS });
        const reminder = processor.States[choice.Choices?.[0]?.Next ?? ''] as State;
        expect(reminder.Type).toBe('Pass');
        expect(reminder.Parameters?.['attempt.$']).toBe('States.MathAdd($.attempt, 1)');
        expect(reminder.Next).toBe(processor.StartAt);
        const expired = processor.States[choice.Default ?? ''] as State;
        expect(isTaskOf(expired, 'record-status')).toBe(true);
        expect(expired.Parameters?.Payload).toMatchObject({ status: 'FAILED', reason: 'REVIEW_EXPIRED' });
        expect(processor.States[expired.Next ?? '']).toMatchObject({
          Type: 'Fail',
          Error: WorkflowErrors.REVIEW_EXPIRED,
        });
      }
    });

    it('ends a rejected revision as RETURNED, notifies the drafter and succeeds', () => {
      for (const { state } of reviewMaps()) {
        const onReject = state.Catch?.find((catcher) =>
          catcher.ErrorEquals.includes(WorkflowErrors.REVIEW_REJECTED),
        );
        const record = stateNamed(onReject?.Next ?? '');
        expect(isTaskOf(record, 'record-status')).toBe(true);
        expect(record.Parameters?.Payload).toMatchObject({ status: 'RETURNED', reason: 'REVIEW_REJECTED' });
        const notify = stateNamed(record.Next ?? '');
        expect(isTaskOf(notify, 'notify')).toBe(true);
        expect(notify.Parameters?.Payload).toMatchObject({ outcome: 'RETURNED' });
        expect(stateNamed(notify.Next ?? '').Type).toBe('Succeed');
        expect(state.Catch?.at(-1)?.ErrorEquals).toEqual(['States.ALL']);
      }
    });
  });

  describe('the flow', () => {
    const route = () => stateNamed('RouteByAttribute');
    const branchFor = (attribute: string) => {
      const choice = route().Choices?.find((rule) =>
        JSON.stringify(rule).includes(`"StringEquals":"${attribute}"`),
      );
      if (!choice) throw new Error(`no branch for ${attribute}`);
      return choice.Next;
    };

    it('starts with Validate and routes on its 公开属性', () => {
      expect(isTaskOf(machine.States[machine.StartAt] as State, 'validate')).toBe(true);
      expect(machine.States[machine.StartAt]?.Next).toBe('RouteByAttribute');
      expect(route().Type).toBe('Choice');
    });

    it.each(['ON_REQUEST', 'NOT_DISCLOSED'])('never lets %s reach Publish, on any path', (attribute) => {
      const states = reachable(machine, branchFor(attribute));
      expect(states.some(({ state }) => isTaskOf(state, 'request-approval'))).toBe(true);
      expect(states.some(({ state }) => isTaskOf(state, 'publish'))).toBe(false);
      expect(states.some(({ state }) => isTaskOf(state, 'deidentify'))).toBe(false);
      expect(states.some(({ state }) => state.Type === 'Wait')).toBe(false);
      const registered = states.find(
        ({ state }) => isTaskOf(state, 'record-status') && state.Parameters?.Payload?.status === 'REGISTERED',
      );
      expect(registered).toBeDefined();
    });

    it.each(['PROACTIVE', 'AFTER_REDACTION'])(
      'de-identifies, reviews, waits and publishes %s',
      (attribute) => {
        const first = stateNamed(branchFor(attribute));
        expect(isTaskOf(first, 'deidentify')).toBe(true);
        const order = [
          'ReleaseReview',
          'RecordScheduled',
          'WaitForRelease',
          'Publish',
          'Verify',
          'RecordPublished',
          'NotifyPublished',
        ];
        let current = first;
        for (const expected of order) {
          expect(current.Next).toBe(expected);
          current = stateNamed(expected);
        }
        expect(stateNamed(current.Next ?? '').Type).toBe('Succeed');
      },
    );

    it('waits until the planned release time', () => {
      const waits = allStates(machine).filter(({ state }) => state.Type === 'Wait');
      expect(waits).toHaveLength(1);
      expect(waits[0]?.state.TimestampPath).toBe('$.validation.releaseAt');
    });

    it('keeps only the fields it routes on from Validate and Publish', () => {
      expect(stateNamed('Validate').ResultSelector).toEqual({
        'attribute.$': '$.Payload.attribute',
        'releaseAt.$': '$.Payload.releaseAt',
        'reviewSteps.$': '$.Payload.reviewSteps',
      });
      expect(stateNamed('Validate').ResultPath).toBe('$.validation');
      expect(stateNamed('Publish').ResultSelector).toEqual({
        'bundleId.$': '$.Payload.bundleId',
        'indexNumber.$': '$.Payload.indexNumber',
      });
      expect(stateNamed('Verify').Parameters?.Payload).toMatchObject({
        'bundleId.$': '$.publication.bundleId',
      });
    });

    it('records every failure before failing: each Fail is entered only from record-status or an expired review', () => {
      const fails = allStates(machine).filter(({ state }) => state.Type === 'Fail');
      expect(fails.length).toBeGreaterThan(0);
      for (const { name, machine: holder } of fails) {
        const predecessors = Object.values(holder.States).filter((state) => successors(state).includes(name));
        expect(predecessors.length, name).toBeGreaterThan(0);
        for (const predecessor of predecessors) {
          const viaExpiredMap =
            predecessor.Type === 'Map' &&
            predecessor.Catch?.some(
              (catcher) =>
                catcher.Next === name && catcher.ErrorEquals.join() === WorkflowErrors.REVIEW_EXPIRED,
            );
          expect(isTaskOf(predecessor, 'record-status') || viaExpiredMap, name).toBe(true);
        }
      }
    });

    it('routes every other error to a recorded FAILED status', () => {
      for (const { name, state } of allStates(machine)) {
        if (!state.Catch || isTaskOf(state, 'record-status')) continue;
        const catchAll = state.Catch.find((catcher) => catcher.ErrorEquals.includes('States.ALL'));
        if (name.endsWith('RequestApproval')) {
          expect(catchAll, name).toBeUndefined(); // rejections and errors end the iteration; the Map catches them
          continue;
        }
        expect(catchAll, name).toBeDefined();
        expect(catchAll?.ResultPath, name).toBe('$.error');
        const target = stateNamed(catchAll?.Next ?? '');
        expect(isTaskOf(target, 'record-status'), name).toBe(true);
        expect(target.Parameters?.Payload?.status, name).toBe('FAILED');
      }
    });

    it('ends a submission the drafter must fix as RETURNED, not FAILED', () => {
      const validate = stateNamed('Validate');
      const returned = validate.Catch?.[0];
      expect(returned?.ErrorEquals).toEqual([...SUBMISSION_REJECTED_ERRORS]);
      expect(stateNamed(returned?.Next ?? '').Parameters?.Payload).toMatchObject({
        status: 'RETURNED',
        reason: 'SUBMISSION_REJECTED',
      });
    });

    it('lists every document rejection error of shared/documents by name', () => {
      const exported: unknown[] = Object.values(documentErrors);
      const rejectionNames = exported
        .filter(
          (value): value is typeof documentErrors.DocumentRejectedError =>
            typeof value === 'function' &&
            (value === documentErrors.DocumentRejectedError ||
              value.prototype instanceof documentErrors.DocumentRejectedError),
        )
        .map((errorClass) => errorClass.name);
      expect(rejectionNames.length).toBeGreaterThan(1);
      expect([...SUBMISSION_REJECTED_ERRORS]).toEqual(expect.arrayContaining(rejectionNames));
    });

    it('uses JSONPath only', () => {
      const text = JSON.stringify(machine);
      expect(text).not.toMatch(/JSONata/i);
      expect(text).not.toContain('{%');
      for (const { name, state } of allStates(machine)) {
        expect(state, name).not.toHaveProperty('Arguments');
        expect(state, name).not.toHaveProperty('Output');
        expect(state, name).not.toHaveProperty('QueryLanguage');
      }
    });
  });
});
