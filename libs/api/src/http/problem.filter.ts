import { randomUUID } from 'node:crypto';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { PROBLEMS, ProblemName, problemType, RdxError } from '@rdx/errors';
import { DatabaseUnavailableError } from '@rdx/persistence';
import type { FastifyReply } from 'fastify';

/** An RFC 9457 problem body. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: readonly { path: string; message: string }[];
  errorId?: string;
}

const FASTIFY_CODES: Record<string, ProblemName> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload-too-large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported-media-type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad-request',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'bad-request',
  FST_ERR_CTP_INVALID_JSON_BODY: 'bad-request',
};

/** The problem of a given name, with a detail. */
export function problemBody(name: ProblemName, detail: string, extra: Partial<Problem> = {}): Problem {
  return {
    type: problemType(name),
    title: PROBLEMS[name].title,
    status: PROBLEMS[name].status,
    detail,
    ...extra,
  };
}

/**
 * Turns any error into an RFC 9457 problem. Known refusals keep their stable type; an
 * unexpected error is logged under an id and answered 500 without internals.
 */
export function toProblem(
  error: unknown,
  logger: Logger,
): { problem: Problem; headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  const make = problemBody;
  if (error instanceof RdxError) {
    if (error.extra.retryAfterSeconds !== undefined)
      headers['retry-after'] = String(error.extra.retryAfterSeconds);
    return {
      problem: make(error.problem, error.detail, error.extra.errors ? { errors: error.extra.errors } : {}),
      headers,
    };
  }
  if (error instanceof DatabaseUnavailableError) {
    headers['retry-after'] = '5';
    return {
      problem: make('unavailable', 'the database is unavailable; nothing was accepted, retry later'),
      headers,
    };
  }
  // Nest wraps the errors Fastify raises before routing (body limit, media type) in an HttpException.
  const cause = error instanceof HttpException ? error.cause : undefined;
  const code = ((cause ?? error) as { code?: unknown }).code;
  if (typeof code === 'string' && code in FASTIFY_CODES) {
    return { problem: make(FASTIFY_CODES[code], ((cause ?? error) as Error).message), headers };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    if (status === 404) return { problem: make('not-found', 'no such resource'), headers };
    if (status === 400) return { problem: make('bad-request', error.message), headers };
    if (status === 413) return { problem: make('payload-too-large', error.message), headers };
    if (status === 415) return { problem: make('unsupported-media-type', error.message), headers };
  }
  if ((error as { statusCode?: unknown }).statusCode === 400) {
    return { problem: make('bad-request', (error as Error).message), headers };
  }
  const errorId = randomUUID();
  logger.error(`unexpected error ${errorId}: ${(error as Error)?.stack ?? String(error)}`);
  return {
    problem: make('internal', `an unexpected error occurred (error id ${errorId})`, { errorId }),
    headers,
  };
}

/** The problem each reply was answered with, for the metrics taken once it is sent. */
const problemsSent = new WeakMap<FastifyReply, string>();

/** The problem type `reply` was answered with (its name, as in `urn:rdx:problem:<name>`), if any. */
export function problemSent(reply: FastifyReply): string | undefined {
  return problemsSent.get(reply);
}

/** Sends a problem on a Fastify reply. */
export function sendProblem(reply: FastifyReply, error: unknown, logger: Logger): void {
  const { problem, headers } = toProblem(error, logger);
  problemsSent.set(reply, problem.type.replace(/^urn:rdx:problem:/, ''));
  void reply
    .status(problem.status)
    .headers(headers)
    .type('application/problem+json')
    .send(JSON.stringify(problem));
}

/** The one global filter: every refusal leaves as `application/problem+json`. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(error: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw error;
    sendProblem(host.switchToHttp().getResponse<FastifyReply>(), error, this.logger);
  }
}
