/** The review workflow engine (Step Functions in production, the local interpreter in local mode). */
export interface Workflow {
  /**
   * Starts the execution for one revision. Starting a revision that already has an execution
   * is not an error: it returns `{ started: false }`, so a repeated submit starts nothing new.
   */
  start(
    executionName: string,
    input: { submissionId: string; revision: number },
  ): Promise<{ started: boolean }>;
  /** Ends a review task successfully. `false` when the task no longer waits (already decided, timed out). */
  completeTask(taskToken: string, output: Record<string, unknown>): Promise<boolean>;
  /** Ends a review task with a named error (e.g. `ReviewRejected`). `false` when the task no longer waits. */
  failTask(taskToken: string, error: string, cause: string): Promise<boolean>;
  /** Stops a running execution (a cancelled scheduled release). `false` when it was not running. */
  stop(executionName: string, reason: string): Promise<boolean>;
}
