import { INestApplication } from '@nestjs/common';
import {
  defaultTextMapGetter,
  ROOT_CONTEXT,
  Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_URL_PATH,
} from '@opentelemetry/semantic-conventions';
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { withTraceContext } from './trace-context';
import { Tracing } from './tracing';

/** Probes and scrapes, every few seconds from every instance: not traced. */
const UNTRACED = new Set(['/health/live', '/health/ready', '/metrics']);

const propagator = new W3CTraceContextPropagator();

/**
 * Gives every HTTP request a SERVER span named by its route template (`POST /v1/messages`),
 * continuing the caller's trace when it sends a `traceparent`, and makes it the current context
 * of the handler (so that the message it publishes is of that trace). Does nothing, and adds no
 * hook, when tracing is off. Call it before the application listens.
 */
export function traceHttpRequests(app: INestApplication): void {
  const tracing = app.get(Tracing);
  if (!tracing.enabled) return;
  const fastify = app.getHttpAdapter().getInstance() as FastifyInstance;
  const spans = new WeakMap<FastifyRequest, Span>();

  fastify.addHook(
    'onRequest',
    (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction) => {
      const route = request.routeOptions?.url;
      if (route === undefined || !UNTRACED.has(route)) {
        const parent = propagator.extract(ROOT_CONTEXT, request.headers, defaultTextMapGetter);
        const span = tracing.start(
          route === undefined ? request.method : `${request.method} ${route}`,
          SpanKind.SERVER,
          {
            [ATTR_HTTP_REQUEST_METHOD]: request.method,
            ...(route === undefined ? {} : { [ATTR_HTTP_ROUTE]: route }),
            // The path without its query: ids at most, never a cursor or a token.
            [ATTR_URL_PATH]: request.url.split('?', 1)[0],
          },
          parent,
        );
        spans.set(request, span);
      }
      done();
    },
  );

  // After the body was read (whose events come in another async context): the handler, its
  // guards and all it awaits run in the request's trace context.
  fastify.addHook(
    'preHandler',
    (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction) => {
      const span = spans.get(request);
      if (span === undefined) return done();
      withTraceContext(trace.setSpan(ROOT_CONTEXT, span), () => done());
    },
  );

  fastify.addHook(
    'onResponse',
    (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
      const span = spans.get(request);
      if (span !== undefined) {
        spans.delete(request);
        span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, reply.statusCode);
        if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      }
      done();
    },
  );
}
