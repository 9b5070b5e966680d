import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { Logger } from 'pino';
import { inLogScope, LogFields } from './log-context';

/** Probes and scrapes come every few seconds from every load balancer and Prometheus: no line. */
const QUIET = /^\/(health\/|metrics(\?|$))/;

/**
 * Logging of HTTP requests, as Fastify hooks (no Nest middleware, which would cost every request
 * a pass through middie):
 * - each request gets a log scope holding its `requestId`, in which its guards and use cases add
 *   the participant and message they learn of; every line logged while it is handled has them
 *   (the scope holds across the body's arrival: test/e2e/logs.e2e-spec.ts sends one late);
 * - each answer carries the request id in `X-Request-Id`;
 * - one line when the request completes: method, route path without the query, status and
 *   duration, with the scope's fields (at `info`; `error` for a 5xx).
 */
export function logHttpRequests(fastify: FastifyInstance, logger: Logger): void {
  const scopes = new WeakMap<FastifyRequest, LogFields>();
  fastify.addHook(
    'onRequest',
    (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
      void reply.header('x-request-id', request.id);
      const scope: LogFields = { requestId: request.id };
      scopes.set(request, scope);
      inLogScope(scope, done);
    },
  );
  fastify.addHook(
    'onResponse',
    (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
      const status = reply.statusCode;
      const level = status >= 500 ? 'error' : 'info';
      const scope = scopes.get(request);
      if (scope !== undefined && logger.isLevelEnabled(level) && !QUIET.test(request.url)) {
        inLogScope(scope, () =>
          logger[level](
            {
              req: { method: request.method, path: request.url.split('?', 1)[0] },
              res: { status },
              durationMs: Math.round(reply.elapsedTime),
            },
            `${request.method} ${status}`,
          ),
        );
      }
      done();
    },
  );
}
