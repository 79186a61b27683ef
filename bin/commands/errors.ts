/** A mistake in how the command was called: exit code 2 and a one-line hint. */
export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

/** The one-line reason shown for a file that could not be processed (never its content). */
export function describeFailure(file: string, error: unknown): string {
  const reason = error instanceof Error ? error.message : String(error);
  return `${file}: ${reason.split('\n')[0]}`;
}
