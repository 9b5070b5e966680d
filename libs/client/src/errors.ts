/** A field the gateway (or the local schema check) names as wrong. */
export interface FieldProblem {
  path: string;
  message: string;
}

/**
 * A refusal by the gateway: its RFC 9457 problem, typed. `type` is the stable
 * `urn:rdx:problem:<name>`, `name` its last part.
 * @example if (error instanceof RdxProblem && error.name === 'schema-violation') show(error.errors)
 */
export class RdxProblem extends Error {
  override readonly name = 'RdxProblem';
  readonly problem: string;

  constructor(
    readonly type: string,
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly errors: readonly FieldProblem[] = [],
    readonly retryAfterSeconds?: number,
  ) {
    super(`${title}: ${detail}`);
    this.problem = type.startsWith('urn:rdx:problem:') ? type.slice('urn:rdx:problem:'.length) : type;
  }
}

/** The gateway could not be reached (or kept failing) within the retries. */
export class RdxUnreachable extends Error {
  override readonly name = 'RdxUnreachable';

  constructor(
    readonly url: string,
    readonly attempts: number,
    override readonly cause: unknown,
  ) {
    super(`the gateway at ${url} did not answer after ${attempts} attempt(s): ${describe(cause)}`);
  }
}

/** `data` does not match its type's schema, found locally before anything was sent. */
export class RdxInvalidData extends Error {
  override readonly name = 'RdxInvalidData';

  constructor(
    readonly messageType: string,
    readonly errors: readonly FieldProblem[],
  ) {
    super(
      `the data is not a valid ${messageType}: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
    );
  }
}

/** A signature, receipt or key that does not check out: nothing it vouches for may be trusted. */
export class RdxVerificationFailed extends Error {
  override readonly name = 'RdxVerificationFailed';

  constructor(readonly reason: string) {
    super(reason);
  }
}

function describe(cause: unknown): string {
  // Duck-typed: an error from another realm (fetch's, under a test runner) is no `instanceof Error` here.
  if (typeof cause === 'object' && cause !== null && 'message' in cause) {
    const inner = (cause as { cause?: { code?: string; message?: string } }).cause;
    const code = inner?.code ?? (cause as { code?: string }).code;
    return code === undefined ? String(cause.message) : `${String(cause.message)} (${code})`;
  }
  return String(cause);
}
