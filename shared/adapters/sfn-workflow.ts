import {
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  type SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { Workflow } from '../ports/workflow.js';

/** Errors meaning "that task no longer waits": it was decided, timed out, or its execution ended. */
const TASK_GONE = new Set(['TaskDoesNotExist', 'TaskTimedOut', 'InvalidToken']);

/** {@link Workflow} on a Step Functions Standard state machine. */
export class SfnWorkflow implements Workflow {
  constructor(private readonly options: { client: SFNClient; stateMachineArn: string }) {}

  async start(executionName: string, input: { submissionId: string; revision: number }) {
    try {
      await this.options.client.send(
        new StartExecutionCommand({
          stateMachineArn: this.options.stateMachineArn,
          name: executionName,
          input: JSON.stringify(input),
        }),
      );
      return { started: true };
    } catch (error) {
      if (error instanceof Error && error.name === 'ExecutionAlreadyExists') return { started: false };
      throw error;
    }
  }

  async completeTask(taskToken: string, output: Record<string, unknown>): Promise<boolean> {
    return this.whileTaskWaits(() =>
      this.options.client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) })),
    );
  }

  async failTask(taskToken: string, error: string, cause: string): Promise<boolean> {
    return this.whileTaskWaits(() =>
      this.options.client.send(new SendTaskFailureCommand({ taskToken, error, cause })),
    );
  }

  async stop(executionName: string, reason: string): Promise<boolean> {
    // Execution ARNs are the state machine ARN with `execution` for `stateMachine` and the name appended.
    const executionArn = `${this.options.stateMachineArn.replace(':stateMachine:', ':execution:')}:${executionName}`;
    try {
      await this.options.client.send(new StopExecutionCommand({ executionArn, cause: reason }));
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === 'ExecutionDoesNotExist') return false;
      throw error;
    }
  }

  private async whileTaskWaits(send: () => Promise<unknown>): Promise<boolean> {
    try {
      await send();
      return true;
    } catch (error) {
      if (error instanceof Error && TASK_GONE.has(error.name)) return false;
      throw error;
    }
  }
}
