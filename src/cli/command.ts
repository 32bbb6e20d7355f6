// The shape every `light-network` command implements. Commands write through `CliIO` (not
// process.stdout directly) so tests can run them in-process and read what they printed.

export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** Whether stdout is a terminal (progress lines are only drawn on terminals). */
  isTTY: boolean;
}

export interface CliCommand {
  name: string;
  /** One line for the command list in `light-network --help`. */
  summary: string;
  /** Full usage text printed by `light-network <command> --help` and after usage errors. */
  usage: string;
  /** Returns the process exit code (0 when omitted). Throw UsageError for bad arguments. */
  run(args: string[], io: CliIO): Promise<number | void>;
}

/** Bad command-line input: reported with the command's usage and exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** An expected failure (missing file, unreadable memory…): reported without a stack, exit code 1. */
export class CliFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliFailure';
  }
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
