/**
 * Errors a user can fix. Each carries its exit code; the entry point (src/cli/main.ts) is the one
 * place that turns them into a line on stderr and an exit status — no stack trace.
 * The message is one line: what is wrong, where (file:line:column for data), and how to fix it.
 */
export class CollapseError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad options, flags or configuration (exit 2). */
export class UsageError extends CollapseError {
  constructor(message: string) {
    super(message, 2);
  }
}

/** Bad input data (exit 2). */
export class InputError extends CollapseError {
  constructor(message: string) {
    super(message, 2);
  }
}

/** A check or assertion did not hold (exit 1). */
export class CheckFailure extends CollapseError {
  constructor(message: string) {
    super(message, 1);
  }
}
