import './polyfills.js';
import { randomBytes, randomUUID } from 'node:crypto';
import { appendFile, mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Step Functions on one machine: the review state machine's definition (extracted from the
 * synthesized template) run by aws-local-stepfunctions, with
 * - each `lambda:invoke` Task bound to the real handler, called in-process;
 * - each `lambda:invoke.waitForTaskToken` Task bound to a token registry that SendTaskSuccess /
 *   SendTaskFailure resolve;
 * - every execution persisted under `<directory>/<name>.json` (input, status, a checkpoint = the
 *   last top-level state entered and its input, and a journal of callback tasks), so a restart
 *   resumes it where it was: a task that was waiting for a decision waits again with the same
 *   token (its approval links keep working) for the rest of its time;
 * - an event log per execution (`<name>.events.jsonl`: states entered and exited, with no payload).
 *
 * Local adaptations of the definition, all made in {@link prepareDefinition} and only there:
 * Node timers overflow past 2^31 ms, so task timeouts and waits are clamped to ~24.8 days; a
 * Wait state runs as a local task that sleeps until its time (so it is abortable, persisted and
 * exact after a restart); a callback task's timeout is enforced by the binding, which knows when
 * the task really started.
 */

/** Longest Node.js timer, in whole seconds (2^31 - 1 ms). */
export const MAX_TIMER_SECONDS = Math.floor((2 ** 31 - 1) / 1000);
const MAX_TIMER_MS = (MAX_TIMER_SECONDS - 1) * 1000;
/** What `$$.Task.Token` resolves to; the binding swaps it for a fresh token. */
const TASK_TOKEN_PLACEHOLDER = 'gongkai-local-task-token-placeholder';
/** Parameter a callback task's binding reads its timeout from (removed before the handler sees the payload). */
const TIMEOUT_FIELD = 'gongkaiLocalTimeoutSeconds';
const LOCAL_WAIT_RESOURCE = 'arn:aws:lambda:us-east-1:000000000000:function:gongkai-local-wait';
const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
const LAMBDA_INVOKE_CALLBACK = 'arn:aws:states:::lambda:invoke.waitForTaskToken';

/** Invokes a function by its handler name (`functions/<name>.ts`) with a JSON payload. */
export type FunctionInvoker = (functionName: string, payload: unknown) => Promise<unknown>;

/** Execution statuses, as DescribeExecution reports them. */
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

type Outcome =
  | { type: 'success'; output: unknown }
  | { type: 'failure'; error: string; cause: string }
  | { type: 'timeout' };

/** A callback task of one execution: its token, when it started, and how it ended. */
interface CallbackRecord {
  token: string;
  startedAt: string;
  timeoutSeconds: number;
  /** The handler ran with this token (so a resume does not call it again). */
  delivered: boolean;
  outcome?: Outcome;
}

/** What `<name>.json` holds. */
export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  input: string;
  status: ExecutionStatus;
  startDate: string;
  stopDate?: string;
  output?: string;
  error?: string;
  cause?: string;
  /** Last top-level state entered and its input: where a restart resumes. */
  checkpoint?: { state: string; input: unknown };
  /** Callback tasks by `<state> <payload>`; the same task after a restart finds its token here. */
  callbacks: Record<string, CallbackRecord>;
  /** Wait states by `<state> <input>`: when each wait ends. */
  waits: Record<string, string>;
  /** State transitions (states entered, nested ones included). */
  transitions: number;
  /** How many times the execution was resumed after a restart. */
  resumes: number;
}

/** One line of an execution's event log. Never carries state input or output. */
export interface ExecutionEvent {
  at: string;
  type: string;
  state?: string;
  stateType?: string;
  /** Map iteration, for states inside a Map. */
  index?: number;
  /** Error name of a failed, caught or retried state. */
  error?: string;
}

/** An error of the Step Functions API, answered as `{ __type, message }`. */
export class StepFunctionsApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

/** A task failure with the error name the state machine's Retry and Catch match on. */
class TaskFailure extends Error {
  constructor(name: string, cause: string) {
    super(cause);
    this.name = name;
  }
}

type State = Record<string, unknown> & { Type: string };
type Definition = Record<string, unknown> & { States: Record<string, State>; StartAt: string };
type LocalTask =
  | { kind: 'lambda'; functionName: string }
  | { kind: 'callback'; functionName: string }
  | { kind: 'wait' }
  | { kind: 'fail'; error: string; cause: string };

/** The definition as local mode runs it, with the binding of every task by state name. */
export interface PreparedDefinition {
  definition: Definition;
  tasks: Map<string, LocalTask>;
  /** Type of every state in the original definition (a Wait stays a Wait in the event log). */
  types: Map<string, string>;
  /** The Map state whose iterations run each state (states inside a Map only). */
  enclosingMap: Map<string, string>;
  /** Whether a state's own Retry or Catch handles an error of this name (so its iteration goes on). */
  handles(stateName: string, errorName: string): boolean;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Applies the local adaptations described above to a copy of `definition`. */
export function prepareDefinition(
  definition: Record<string, unknown>,
  functionNameByArn: Record<string, string>,
): PreparedDefinition {
  const copy = structuredClone(definition) as Definition;
  const tasks = new Map<string, LocalTask>();
  const types = new Map<string, string>();
  const enclosingMap = new Map<string, string>();
  const handlers = new Map<string, string[]>();

  const functionOf = (stateName: string, state: State): string => {
    const parameters = state.Parameters;
    const arn = isRecord(parameters) ? parameters.FunctionName : undefined;
    const name = typeof arn === 'string' ? functionNameByArn[arn] : undefined;
    if (name === undefined) {
      throw new Error(`Task ${stateName} invokes ${String(arn)}, which is not a function of the template.`);
    }
    return name;
  };

  const visit = (states: Record<string, State>, map?: string) => {
    for (const [name, state] of Object.entries(states)) {
      if (types.has(name)) throw new Error(`State name ${name} is used twice; local bindings are by name.`);
      types.set(name, state.Type);
      if (map !== undefined) enclosingMap.set(name, map);
      const rules = [
        ...((state.Retry ?? []) as { ErrorEquals?: string[] }[]),
        ...((state.Catch ?? []) as { ErrorEquals?: string[] }[]),
      ];
      handlers.set(
        name,
        rules.flatMap((rule) => rule.ErrorEquals ?? []),
      );
      if (state.Type === 'Task') {
        if (state.Resource === LAMBDA_INVOKE) {
          tasks.set(name, { kind: 'lambda', functionName: functionOf(name, state) });
          if (typeof state.TimeoutSeconds === 'number') {
            state.TimeoutSeconds = Math.min(state.TimeoutSeconds, MAX_TIMER_SECONDS);
          }
        } else if (state.Resource === LAMBDA_INVOKE_CALLBACK) {
          tasks.set(name, { kind: 'callback', functionName: functionOf(name, state) });
          const parameters = isRecord(state.Parameters) ? state.Parameters : {};
          state.Parameters = {
            ...parameters,
            ...(typeof state.TimeoutSecondsPath === 'string'
              ? { [`${TIMEOUT_FIELD}.$`]: state.TimeoutSecondsPath }
              : {
                  [TIMEOUT_FIELD]:
                    typeof state.TimeoutSeconds === 'number' ? state.TimeoutSeconds : MAX_TIMER_SECONDS,
                }),
          };
          delete state.TimeoutSecondsPath;
          // The binding enforces the real timeout; the library's own timer only backs it up.
          state.TimeoutSeconds = MAX_TIMER_SECONDS;
        } else {
          throw new Error(`Task ${name} uses ${String(state.Resource)}, which local mode does not emulate.`);
        }
      } else if (state.Type === 'Wait') {
        tasks.set(name, { kind: 'wait' });
        const parameters: Record<string, unknown> = {};
        if (typeof state.Seconds === 'number') parameters.seconds = state.Seconds;
        if (typeof state.SecondsPath === 'string') parameters['seconds.$'] = state.SecondsPath;
        if (typeof state.Timestamp === 'string') parameters.timestamp = state.Timestamp;
        if (typeof state.TimestampPath === 'string') parameters['timestamp.$'] = state.TimestampPath;
        const replacement: State = {
          Type: 'Task',
          Resource: LOCAL_WAIT_RESOURCE,
          Parameters: parameters,
          ResultPath: null,
          TimeoutSeconds: MAX_TIMER_SECONDS,
        };
        for (const field of ['Comment', 'InputPath', 'OutputPath', 'Next', 'End']) {
          if (field in state) replacement[field] = state[field];
        }
        states[name] = replacement;
      } else if (state.Type === 'Fail' && map !== undefined) {
        // A Fail inside a Map runs as a local task, so the binding learns that its iteration failed.
        tasks.set(name, {
          kind: 'fail',
          error: typeof state.Error === 'string' ? state.Error : 'States.Runtime',
          cause: typeof state.Cause === 'string' ? state.Cause : '',
        });
        states[name] = {
          Type: 'Task',
          Resource: LOCAL_WAIT_RESOURCE,
          TimeoutSeconds: MAX_TIMER_SECONDS,
          End: true,
        };
      } else if (state.Type === 'Map') {
        const processor = (state.ItemProcessor ?? state.Iterator) as Definition | undefined;
        if (processor !== undefined) visit(processor.States, name);
      } else if (state.Type === 'Parallel') {
        for (const branch of (state.Branches ?? []) as Definition[]) visit(branch.States, map);
      }
    }
  };
  visit(copy.States);
  const handles = (stateName: string, errorName: string) =>
    (handlers.get(stateName) ?? []).some(
      (name) =>
        name === errorName ||
        name === 'States.ALL' ||
        (name === 'States.TaskFailed' && errorName !== 'States.Timeout'),
    );
  return { definition: copy, tasks, types, enclosingMap, handles };
}

/** JSON with sorted keys: the same task input always gives the same journal key. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (isRecord(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stableJson(value[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

function swapToken(value: unknown, token: string): unknown {
  if (value === TASK_TOKEN_PLACEHOLDER) return token;
  if (Array.isArray(value)) return value.map((item) => swapToken(item, token));
  if (isRecord(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, swapToken(v, token)]));
  return value;
}

/** A Lambda error as Step Functions reports it: Error = the error's name, Cause = the Lambda error JSON. */
function lambdaFailure(error: unknown): TaskFailure {
  const name = error instanceof Error && error.name !== '' ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  return new TaskFailure(name, JSON.stringify({ errorType: name, errorMessage: message }));
}

class AbortedError extends Error {
  constructor() {
    super('The execution was stopped.');
    this.name = 'AbortedError';
  }
}

/** Sleeps `ms` (clamped to a Node timer), or rejects when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new AbortedError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortedError());
    };
    const timer = setTimeout(
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.min(Math.max(ms, 0), MAX_TIMER_MS),
    );
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

interface WaitingToken {
  execution: string;
  key: string;
  resolve: (output: unknown) => void;
  reject: (error: Error) => void;
}

interface Running {
  controller: AbortController;
  abort: () => void;
  /** Why it is being aborted: `close` leaves it RUNNING on disk, `stop` records ABORTED. */
  stopping?: { kind: 'close' } | { kind: 'stop'; error?: string; cause?: string };
  done: Promise<void>;
}

/** Settings of {@link LocalStepFunctions}. */
export interface LocalStepFunctionsOptions {
  definition: Record<string, unknown>;
  functionNameByArn: Record<string, string>;
  /** The ARN handlers start executions of (`STATE_MACHINE_ARN`). */
  stateMachineArn: string;
  /** Where executions are persisted. */
  directory: string;
  invoke: FunctionInvoker;
  /** Progress lines (never payloads). */
  log?: (line: string) => void;
}

const EXECUTION_NAME = /^[A-Za-z0-9_-]{1,80}$/;

/** The local Step Functions service: one state machine, its executions and their task tokens. */
export class LocalStepFunctions {
  private readonly prepared: PreparedDefinition;
  private readonly records = new Map<string, ExecutionRecord>();
  private readonly running = new Map<string, Running>();
  private readonly tokens = new Map<string, WaitingToken>();
  private readonly writes = new Map<string, Promise<void>>();
  private readonly stateMachineName: string;
  private library: typeof import('aws-local-stepfunctions') | undefined;
  private closed = false;

  constructor(private readonly options: LocalStepFunctionsOptions) {
    this.prepared = prepareDefinition(options.definition, options.functionNameByArn);
    this.stateMachineName = options.stateMachineArn.split(':').pop() ?? 'state-machine';
  }

  /** Loads the persisted executions, checks the definition, and resumes every RUNNING execution. */
  async start(): Promise<{ resumed: string[] }> {
    this.library = await import('aws-local-stepfunctions');
    // Validates the definition as deployed (the prepared copy runs unvalidated: it has local resources).
    new this.library.StateMachine(this.options.definition as never);
    await mkdir(this.options.directory, { recursive: true });
    for (const file of await readdir(this.options.directory)) {
      if (!file.endsWith('.json')) continue;
      const record = JSON.parse(
        await readFile(path.join(this.options.directory, file), 'utf8'),
      ) as ExecutionRecord;
      record.callbacks ??= {};
      record.waits ??= {};
      this.records.set(record.name, record);
    }
    const resumed: string[] = [];
    for (const record of this.records.values()) {
      if (record.status !== 'RUNNING') continue;
      record.resumes = (record.resumes ?? 0) + 1;
      this.launch(record);
      resumed.push(record.name);
    }
    return { resumed };
  }

  /** Stops running executions without ending them (they resume at the next start) and flushes every write. */
  async close(): Promise<void> {
    this.closed = true;
    for (const run of this.running.values()) {
      run.stopping = { kind: 'close' };
      run.abort();
    }
    await Promise.all([...this.running.values()].map((run) => run.done));
    await Promise.all(this.writes.values());
  }

  private executionArn(name: string): string {
    return `${this.options.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  }

  private nameOf(executionArn: unknown): string {
    const prefix = `${this.options.stateMachineArn.replace(':stateMachine:', ':execution:')}:`;
    if (typeof executionArn !== 'string' || !executionArn.startsWith(prefix)) {
      throw new StepFunctionsApiError(
        'ExecutionDoesNotExist',
        `Execution Does Not Exist: '${String(executionArn)}'`,
      );
    }
    return executionArn.slice(prefix.length);
  }

  // ── the API ────────────────────────────────────────────────────────────────────────────────────

  /** StartExecution: a name already used starts nothing (same input while running: success, as AWS). */
  async startExecution(request: { stateMachineArn?: unknown; name?: unknown; input?: unknown }) {
    if (this.closed) throw new StepFunctionsApiError('ServiceUnavailable', 'The local system is stopping.');
    if (request.stateMachineArn !== this.options.stateMachineArn) {
      throw new StepFunctionsApiError(
        'StateMachineDoesNotExist',
        `State Machine Does Not Exist: '${String(request.stateMachineArn)}'`,
      );
    }
    const name = request.name === undefined ? randomUUID() : request.name;
    if (typeof name !== 'string' || !EXECUTION_NAME.test(name)) {
      throw new StepFunctionsApiError('InvalidName', `Invalid Name: '${String(name)}'`);
    }
    const input = request.input === undefined ? '{}' : request.input;
    let parsed: unknown;
    try {
      parsed = typeof input === 'string' ? JSON.parse(input) : undefined;
    } catch {
      parsed = undefined;
    }
    if (typeof input !== 'string' || parsed === undefined) {
      throw new StepFunctionsApiError('InvalidExecutionInput', 'Invalid Execution Input: not JSON');
    }
    const existing = this.records.get(name);
    if (existing !== undefined) {
      if (existing.status === 'RUNNING' && existing.input === input) {
        return { executionArn: existing.executionArn, startDate: Date.parse(existing.startDate) / 1000 };
      }
      throw new StepFunctionsApiError(
        'ExecutionAlreadyExists',
        `Execution Already Exists: '${existing.executionArn}'`,
      );
    }
    const record: ExecutionRecord = {
      executionArn: this.executionArn(name),
      stateMachineArn: this.options.stateMachineArn,
      name,
      input,
      status: 'RUNNING',
      startDate: new Date().toISOString(),
      callbacks: {},
      waits: {},
      transitions: 0,
      resumes: 0,
    };
    this.records.set(name, record);
    await this.persist(record);
    this.launch(record);
    return { executionArn: record.executionArn, startDate: Date.parse(record.startDate) / 1000 };
  }

  describeExecution(request: { executionArn?: unknown }) {
    const record = this.records.get(this.nameOf(request.executionArn));
    if (record === undefined) {
      throw new StepFunctionsApiError(
        'ExecutionDoesNotExist',
        `Execution Does Not Exist: '${String(request.executionArn)}'`,
      );
    }
    return {
      executionArn: record.executionArn,
      stateMachineArn: record.stateMachineArn,
      name: record.name,
      status: record.status,
      startDate: Date.parse(record.startDate) / 1000,
      ...(record.stopDate === undefined ? {} : { stopDate: Date.parse(record.stopDate) / 1000 }),
      input: record.input,
      inputDetails: { included: true },
      ...(record.output === undefined ? {} : { output: record.output, outputDetails: { included: true } }),
      ...(record.error === undefined ? {} : { error: record.error }),
      ...(record.cause === undefined ? {} : { cause: record.cause }),
    };
  }

  async stopExecution(request: { executionArn?: unknown; error?: unknown; cause?: unknown }) {
    const name = this.nameOf(request.executionArn);
    const record = this.records.get(name);
    if (record === undefined) {
      throw new StepFunctionsApiError(
        'ExecutionDoesNotExist',
        `Execution Does Not Exist: '${String(request.executionArn)}'`,
      );
    }
    const run = this.running.get(name);
    if (record.status === 'RUNNING' && run !== undefined) {
      run.stopping = {
        kind: 'stop',
        ...(typeof request.error === 'string' ? { error: request.error } : {}),
        ...(typeof request.cause === 'string' ? { cause: request.cause } : {}),
      };
      run.abort();
      await run.done;
    }
    return { stopDate: Date.parse(record.stopDate ?? new Date().toISOString()) / 1000 };
  }

  async sendTaskSuccess(request: { taskToken?: unknown; output?: unknown }) {
    const waiting = this.waitingFor(request.taskToken);
    let output: unknown;
    try {
      output = typeof request.output === 'string' ? JSON.parse(request.output) : undefined;
    } catch {
      output = undefined;
    }
    if (output === undefined) throw new StepFunctionsApiError('InvalidOutput', 'Invalid Output: not JSON');
    await this.settle(waiting, { type: 'success', output });
    waiting.resolve(output);
    return {};
  }

  async sendTaskFailure(request: { taskToken?: unknown; error?: unknown; cause?: unknown }) {
    const waiting = this.waitingFor(request.taskToken);
    const error = typeof request.error === 'string' ? request.error : '';
    const cause = typeof request.cause === 'string' ? request.cause : '';
    await this.settle(waiting, { type: 'failure', error, cause });
    waiting.reject(new TaskFailure(error, cause));
    return {};
  }

  /** SendTaskHeartbeat: accepted for a waiting task (heartbeats are not enforced locally). */
  sendTaskHeartbeat(request: { taskToken?: unknown }) {
    this.waitingFor(request.taskToken);
    return {};
  }

  /** Answers one awsJson1_0 request (`X-Amz-Target: AWSStepFunctions.<Operation>`). */
  async handle(operation: string, body: Record<string, unknown>): Promise<unknown> {
    switch (operation) {
      case 'StartExecution':
        return this.startExecution(body);
      case 'DescribeExecution':
        return this.describeExecution(body);
      case 'StopExecution':
        return this.stopExecution(body);
      case 'SendTaskSuccess':
        return this.sendTaskSuccess(body);
      case 'SendTaskFailure':
        return this.sendTaskFailure(body);
      case 'SendTaskHeartbeat':
        return this.sendTaskHeartbeat(body);
      default:
        throw new StepFunctionsApiError(
          'UnknownOperationException',
          `Local Step Functions does not implement ${operation}.`,
        );
    }
  }

  // ── for tests, pages and benchmarks ────────────────────────────────────────────────────────────

  /** A copy of an execution's record, or undefined. */
  execution(name: string): ExecutionRecord | undefined {
    const record = this.records.get(name);
    return record === undefined ? undefined : structuredClone(record);
  }

  /** Every execution, newest first. */
  executions(): ExecutionRecord[] {
    return [...this.records.values()]
      .map((record) => structuredClone(record))
      .sort((a, b) => b.startDate.localeCompare(a.startDate));
  }

  /** The event log of an execution (states entered and exited; no payloads). */
  async events(name: string): Promise<ExecutionEvent[]> {
    await this.writes.get(name);
    const text = await readFile(path.join(this.options.directory, `${name}.events.jsonl`), 'utf8').catch(
      () => '',
    );
    return text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as ExecutionEvent);
  }

  /** Resolves when the execution is no longer RUNNING (or `timeoutMs` passed). */
  async waitUntilDone(name: string, timeoutMs = 30_000): Promise<ExecutionRecord | undefined> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const record = this.records.get(name);
      if (record !== undefined && record.status !== 'RUNNING') return structuredClone(record);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return this.execution(name);
  }

  // ── running ────────────────────────────────────────────────────────────────────────────────────

  private waitingFor(taskToken: unknown): WaitingToken {
    if (typeof taskToken !== 'string' || taskToken.length < 1 || taskToken.length > 1024) {
      throw new StepFunctionsApiError('InvalidToken', 'Invalid Token');
    }
    const waiting = this.tokens.get(taskToken);
    if (waiting !== undefined) return waiting;
    for (const record of this.records.values()) {
      for (const callback of Object.values(record.callbacks)) {
        if (callback.token === taskToken && callback.outcome?.type === 'timeout') {
          throw new StepFunctionsApiError('TaskTimedOut', 'Task Timed Out');
        }
      }
    }
    throw new StepFunctionsApiError('TaskDoesNotExist', 'Task Does Not Exist');
  }

  private async settle(waiting: WaitingToken, outcome: Outcome): Promise<void> {
    this.tokens.delete(this.tokenOf(waiting));
    const record = this.records.get(waiting.execution);
    const callback = record?.callbacks[waiting.key];
    if (record !== undefined && callback !== undefined) {
      callback.outcome = outcome;
      await this.persist(record);
    }
  }

  private tokenOf(waiting: WaitingToken): string {
    return this.records.get(waiting.execution)?.callbacks[waiting.key]?.token ?? '';
  }

  private persist(record: ExecutionRecord): Promise<void> {
    const file = path.join(this.options.directory, `${record.name}.json`);
    const snapshot = JSON.stringify(record, null, 2);
    return this.enqueue(record.name, async () => {
      const temporary = `${file}.${process.pid}.tmp`;
      await writeFile(temporary, snapshot, { mode: 0o600 });
      await rename(temporary, file);
    });
  }

  private logEvent(name: string, event: ExecutionEvent): void {
    const file = path.join(this.options.directory, `${name}.events.jsonl`);
    void this.enqueue(name, () => appendFile(file, `${JSON.stringify(event)}\n`, { mode: 0o600 }));
  }

  private enqueue(name: string, write: () => Promise<void>): Promise<void> {
    const next = (this.writes.get(name) ?? Promise.resolve()).then(write, write);
    const settled = next.catch((error: unknown) => {
      this.options.log?.(
        `local step functions: could not write ${name}: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
    this.writes.set(name, settled);
    return settled;
  }

  private launch(record: ExecutionRecord): void {
    const library = this.library;
    if (library === undefined) throw new Error('LocalStepFunctions.start() must be called first.');
    const controller = new AbortController();
    const failingMaps = new Set<string>();
    const checkpoint = record.checkpoint;
    const definition =
      checkpoint === undefined
        ? this.prepared.definition
        : { ...this.prepared.definition, StartAt: checkpoint.state };
    const input = checkpoint === undefined ? JSON.parse(record.input) : checkpoint.input;
    const machine = new library.StateMachine(definition as never, {
      validationOptions: { noValidate: true },
    });
    const execution = machine.run(input, {
      overrides: {
        taskResourceLocalHandlers: this.bindings(record, controller.signal, failingMaps) as never,
      },
      context: {
        Execution: { Id: record.executionArn, Name: record.name, StartTime: record.startDate },
        StateMachine: { Id: this.options.stateMachineArn, Name: this.stateMachineName },
        Task: { Token: TASK_TOKEN_PLACEHOLDER },
      },
    });
    const run: Running = {
      controller,
      abort: () => {
        controller.abort();
        execution.abort();
      },
      done: Promise.resolve(),
    };
    this.running.set(record.name, run);
    this.logEvent(record.name, {
      at: new Date().toISOString(),
      type: checkpoint === undefined ? 'ExecutionStarted' : 'ExecutionResumed',
      ...(checkpoint === undefined ? {} : { state: checkpoint.state }),
    });
    this.options.log?.(
      `execution ${record.name} ${checkpoint === undefined ? 'started' : `resumed at ${checkpoint.state}`}`,
    );

    const consumeEvents = (async () => {
      for await (const event of execution.eventLogs) {
        const at = new Date(event.timestamp).toISOString();
        if (
          event.type === 'StateEntered' ||
          event.type === 'StateExited' ||
          event.type === 'StateFailed' ||
          event.type === 'StateCaught' ||
          event.type === 'StateRetried'
        ) {
          const index = (event as { index?: number }).index;
          const stateName = event.state.name;
          const logged: ExecutionEvent = {
            at,
            type: event.type,
            state: stateName,
            stateType: this.prepared.types.get(stateName) ?? event.state.type,
            ...(index === undefined ? {} : { index }),
            ...('Error' in event && typeof event.Error === 'string' ? { error: event.Error } : {}),
          };
          this.logEvent(record.name, logged);
          if (event.type === 'StateEntered') {
            record.transitions += 1;
            // Top-level states only: a Map resumes whole, its finished iterations replay from the journal.
            if (index === undefined && !controller.signal.aborted) {
              record.checkpoint = { state: stateName, input: event.state.input };
              void this.persist(record);
            }
          } else if (index === undefined) {
            // The Map is over (exited, failed or caught): a later entry starts with no failure.
            failingMaps.delete(stateName);
          }
        } else if (
          event.type === 'MapIterationStarted' ||
          event.type === 'MapIterationSucceeded' ||
          event.type === 'MapIterationFailed'
        ) {
          this.logEvent(record.name, {
            at,
            type: event.type,
            state: event.parentState.name,
            stateType: 'Map',
            index: event.index,
          });
        }
      }
    })();

    run.done = (async () => {
      let outcome: Pick<ExecutionRecord, 'status' | 'output' | 'error' | 'cause'> | undefined;
      try {
        const output = await execution.result;
        outcome = { status: 'SUCCEEDED', output: JSON.stringify(output ?? null) };
      } catch (error) {
        const stopping = run.stopping;
        if (stopping?.kind === 'close') {
          outcome = undefined;
        } else if (stopping?.kind === 'stop') {
          outcome = {
            status: 'ABORTED',
            ...(stopping.error === undefined ? {} : { error: stopping.error }),
            ...(stopping.cause === undefined ? {} : { cause: stopping.cause }),
          };
        } else if (error instanceof library.ExecutionTimeoutError) {
          outcome = { status: 'TIMED_OUT', error: 'States.Timeout' };
        } else {
          const cause = error instanceof library.ExecutionError ? error.cause : error;
          outcome = {
            status: 'FAILED',
            error: cause instanceof Error ? cause.name : 'States.Runtime',
            cause: cause instanceof Error ? cause.message : String(cause),
          };
        }
      }
      await consumeEvents.catch(() => undefined);
      // Tokens of this execution no longer wait for anything.
      for (const [token, waiting] of this.tokens) {
        if (waiting.execution === record.name) {
          this.tokens.delete(token);
          waiting.reject(new AbortedError());
        }
      }
      this.running.delete(record.name);
      if (outcome !== undefined) {
        Object.assign(record, outcome, { stopDate: new Date().toISOString() });
        this.logEvent(record.name, {
          at: record.stopDate!,
          type: `Execution${outcome.status === 'SUCCEEDED' ? 'Succeeded' : outcome.status === 'ABORTED' ? 'Aborted' : outcome.status === 'TIMED_OUT' ? 'TimedOut' : 'Failed'}`,
          ...(outcome.error === undefined ? {} : { error: outcome.error }),
        });
        this.options.log?.(
          `execution ${record.name} ${outcome.status}${outcome.error === undefined ? '' : ` (${outcome.error})`}`,
        );
      }
      await this.persist(record);
    })();
  }

  /** The task bindings of one execution, by state name. */
  /**
   * The task bindings of one execution, by state name. aws-local-stepfunctions starts the next
   * iteration of a Map (MaxConcurrency 1 included) even when the previous one failed; AWS does not.
   * So a failure no Retry or Catch of its state handles marks the enclosing Map as failing, and
   * tasks of a failing Map do not start (no approval mail for a step after a rejected one).
   */
  private bindings(
    record: ExecutionRecord,
    signal: AbortSignal,
    failingMaps: Set<string>,
  ): Record<string, (input: unknown) => Promise<unknown>> {
    const bindings: Record<string, (input: unknown) => Promise<unknown>> = {};
    const guarded =
      (stateName: string, run: (input: unknown) => Promise<unknown>) =>
      async (input: unknown): Promise<unknown> => {
        const map = this.prepared.enclosingMap.get(stateName);
        if (map !== undefined && failingMaps.has(map)) throw new AbortedError();
        try {
          return await run(input);
        } catch (error) {
          if (map !== undefined && error instanceof Error && !this.prepared.handles(stateName, error.name)) {
            failingMaps.add(map);
          }
          throw error;
        }
      };
    for (const [stateName, task] of this.prepared.tasks) {
      let run: (input: unknown) => Promise<unknown>;
      if (task.kind === 'lambda') {
        run = async (input) => {
          const payload = isRecord(input) ? input.Payload : undefined;
          let result: unknown;
          try {
            result = await this.options.invoke(task.functionName, structuredClone(payload ?? {}));
          } catch (error) {
            throw lambdaFailure(error);
          }
          return {
            ExecutedVersion: '$LATEST',
            StatusCode: 200,
            Payload: result === undefined ? null : JSON.parse(JSON.stringify(result)),
          };
        };
      } else if (task.kind === 'callback') {
        run = (input) => this.callback(record, stateName, task.functionName, input, signal);
      } else if (task.kind === 'fail') {
        run = async () => {
          throw new TaskFailure(task.error, task.cause);
        };
      } else {
        run = (input) => this.wait(record, stateName, input, signal);
      }
      bindings[stateName] = guarded(stateName, run);
    }
    return bindings;
  }

  private async callback(
    record: ExecutionRecord,
    stateName: string,
    functionName: string,
    input: unknown,
    signal: AbortSignal,
  ): Promise<unknown> {
    const key = `${stateName} ${stableJson(input)}`;
    let callback = record.callbacks[key];
    const replay = callback?.outcome;
    if (replay !== undefined) {
      if (replay.type === 'success') return replay.output;
      if (replay.type === 'failure') throw new TaskFailure(replay.error, replay.cause);
      throw new TaskFailure('States.Timeout', 'The task timed out.');
    }
    const { [TIMEOUT_FIELD]: timeoutValue, ...parameters } = isRecord(input) ? input : {};
    const timeoutSeconds =
      typeof timeoutValue === 'number' && timeoutValue >= 1 ? timeoutValue : MAX_TIMER_SECONDS;
    if (callback === undefined) {
      callback = {
        token: randomBytes(48).toString('base64url'),
        startedAt: new Date().toISOString(),
        timeoutSeconds,
        delivered: false,
      };
      record.callbacks[key] = callback;
      await this.persist(record);
    }
    const current = callback;
    let resolve!: (output: unknown) => void;
    let reject!: (error: Error) => void;
    const promise = new Promise<unknown>((onOutput, onError) => {
      resolve = onOutput;
      reject = onError;
    });
    promise.catch(() => undefined);
    const waiting: WaitingToken = { execution: record.name, key, resolve, reject };
    this.tokens.set(current.token, waiting);
    const remaining = Date.parse(current.startedAt) + current.timeoutSeconds * 1000 - Date.now();
    const timer = setTimeout(
      () => {
        if (this.tokens.get(current.token) !== waiting) return;
        void this.settle(waiting, { type: 'timeout' }).then(() =>
          reject(new TaskFailure('States.Timeout', 'The task timed out.')),
        );
      },
      Math.min(Math.max(remaining, 0), MAX_TIMER_MS),
    );
    const onAbort = () => reject(new AbortedError());
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      if (!current.delivered) {
        const payload = swapToken(isRecord(parameters) ? parameters.Payload : undefined, current.token);
        try {
          await this.options.invoke(functionName, payload ?? {});
        } catch (error) {
          if (this.tokens.get(current.token) === waiting) this.tokens.delete(current.token);
          delete record.callbacks[key];
          await this.persist(record);
          throw lambdaFailure(error);
        }
        current.delivered = true;
        await this.persist(record);
      }
      return await promise;
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      if (this.tokens.get(current.token) === waiting) this.tokens.delete(current.token);
    }
  }

  private async wait(
    record: ExecutionRecord,
    stateName: string,
    input: unknown,
    signal: AbortSignal,
  ): Promise<unknown> {
    const key = `${stateName} ${stableJson(input)}`;
    let until = record.waits[key];
    if (until === undefined) {
      const parameters = isRecord(input) ? input : {};
      let end: number;
      if (typeof parameters.timestamp === 'string') end = Date.parse(parameters.timestamp);
      else if (typeof parameters.seconds === 'number') end = Date.now() + parameters.seconds * 1000;
      else end = Number.NaN;
      if (Number.isNaN(end))
        throw new TaskFailure('States.Runtime', `Wait state ${stateName} has no valid time.`);
      until = new Date(end).toISOString();
      record.waits[key] = until;
      await this.persist(record);
    }
    await sleep(Date.parse(until) - Date.now(), signal);
    return {};
  }
}
