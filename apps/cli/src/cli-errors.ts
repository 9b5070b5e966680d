import { RdxInvalidData, RdxProblem, RdxUnreachable, RdxVerificationFailed } from '@rdx/client';

/** The exit codes scripts can rely on (README, "The rdx command line"). */
export const EXIT = {
  ok: 0,
  /** The operation was refused, or a check failed. */
  refused: 1,
  /** A usage error, or input that cannot be read. */
  usage: 2,
  /** The gateway did not answer. */
  unreachable: 3,
} as const;

/** A failure the command line reports in words, with its exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

export const usage = (message: string) => new CliError(message, EXIT.usage);
export const refused = (message: string) => new CliError(message, EXIT.refused);

/** What to print on stderr for a failure, and the exit code. Never a secret: only what the gateway or a check said. */
export function report(error: unknown): { lines: string[]; exitCode: number } {
  if (error instanceof CliError) return { lines: [error.message], exitCode: error.exitCode };
  if (error instanceof RdxProblem) {
    return {
      lines: [
        `${error.title} (${error.status} ${error.problem}): ${error.detail}`,
        ...error.errors.map((e) => `  ${e.path}: ${e.message}`),
      ],
      exitCode: EXIT.refused,
    };
  }
  if (error instanceof RdxInvalidData) {
    return {
      lines: [
        `the ${error.messageType} is not valid, nothing was sent:`,
        ...error.errors.map((e) => `  ${e.path}: ${e.message}`),
      ],
      exitCode: EXIT.refused,
    };
  }
  if (error instanceof RdxVerificationFailed)
    return { lines: [`not verified: ${error.reason}`], exitCode: EXIT.refused };
  if (error instanceof RdxUnreachable) return { lines: [error.message], exitCode: EXIT.unreachable };
  // A bad RDX_* setting of `rdx migrate`, named by the gateway's own configuration loader.
  if ((error as Error)?.name === 'ConfigError')
    return { lines: [(error as Error).message], exitCode: EXIT.usage };
  return { lines: [`unexpected error: ${(error as Error)?.stack ?? String(error)}`], exitCode: EXIT.refused };
}
