import { PROBLEMS, ProblemName } from './problem-catalogue';

export interface FieldError {
  path: string;
  message: string;
}

/** A refusal with a stable problem name; the API's global filter renders it as RFC 9457. */
export class RdxError extends Error {
  readonly status: number;

  constructor(
    readonly problem: ProblemName,
    readonly detail: string,
    readonly extra: { errors?: readonly FieldError[]; retryAfterSeconds?: number } = {},
  ) {
    super(`${problem}: ${detail}`);
    this.name = 'RdxError';
    this.status = PROBLEMS[problem].status;
  }
}
