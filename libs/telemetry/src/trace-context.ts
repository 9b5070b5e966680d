import { AsyncLocalStorage } from 'node:async_hooks';
import { Context, ROOT_CONTEXT, Span, SpanContext, trace, TraceFlags } from '@opentelemetry/api';
import { parseTraceParent } from '@opentelemetry/core';

/*
 * How a message's trace context travels where no span object can: as a W3C `traceparent`
 * string in the database (`messages.trace_parent`, `webhook_deliveries.trace_parent`), in the
 * broker event's headers and on the outgoing webhook request. Within a request, the current
 * context is held here, not in the OpenTelemetry API's global context manager: nothing of
 * tracing is registered process-wide, so gateways started side by side (tests) stay apart.
 */

/** The W3C header of the event's (its first message's) context, and of a webhook request's. */
export const TRACEPARENT = 'traceparent';
export const TRACESTATE = 'tracestate';
/**
 * The broker event header that carries each announced message's own context: one event
 * announces a batch of messages, each of its own trace. A JSON object, message id → traceparent.
 */
export const MESSAGE_TRACEPARENTS = 'rdx-traceparents';

const storage = new AsyncLocalStorage<Context>();

/** Runs `work` with `context` as the current trace context (the HTTP request's span, say). */
export function withTraceContext<T>(context: Context, work: () => T): T {
  return storage.run(context, work);
}

/** The current trace context: the HTTP request's, where one is traced; else the root. */
export function activeTraceContext(): Context {
  return storage.getStore() ?? ROOT_CONTEXT;
}

/** The W3C traceparent of a span (version 00). */
export function traceParentOf(span: Span): string {
  const { traceId, spanId, traceFlags } = span.spanContext();
  return `00-${traceId}-${spanId}-${(traceFlags & TraceFlags.SAMPLED) === 0 ? '00' : '01'}`;
}

/** The context whose parent is the span a traceparent names; undefined if it names none. */
export function contextOfTraceParent(traceParent: string | null | undefined): Context | undefined {
  const parent: SpanContext | null =
    traceParent === null || traceParent === undefined ? null : parseTraceParent(traceParent);
  return parent === null ? undefined : trace.setSpanContext(ROOT_CONTEXT, { ...parent, isRemote: true });
}

/** The per-message traceparents of a broker event's headers (an empty map when it has none). */
export function messageTraceParents(
  headers: Readonly<Record<string, unknown>> | undefined,
): Map<string, string> {
  const raw = headers?.[MESSAGE_TRACEPARENTS];
  const found = new Map<string, string>();
  if (typeof raw !== 'string') return found;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null) return found;
    for (const [id, value] of Object.entries(parsed)) if (typeof value === 'string') found.set(id, value);
  } catch {
    // A malformed header traces nothing; it never fails the delivery.
  }
  return found;
}
