import { Inject, Injectable, OnApplicationShutdown, Optional } from '@nestjs/common';
import {
  Attributes,
  Context,
  ROOT_CONTEXT,
  Span,
  SpanKind,
  SpanStatusCode,
  trace,
  Tracer,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  SimpleSpanProcessor,
  SpanExporter,
  SpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_SERVICE_NAME,
} from '@opentelemetry/semantic-conventions';
import { RDX_CONFIG, RdxConfig } from '@rdx/config';
import {
  activeTraceContext,
  contextOfTraceParent,
  MESSAGE_TRACEPARENTS,
  messageTraceParents,
  traceParentOf,
} from './trace-context';

/**
 * The injection token of a span exporter to use instead of OTLP, with a simple (unbatched)
 * processor: tests pass an `InMemorySpanExporter` (see `TelemetryModule.forRoot`).
 */
export const SPAN_EXPORTER = Symbol('SPAN_EXPORTER');

/** Attribute names of RDX's own (ids, types and counts only: never a payload field). */
export const RDX_ATTRIBUTES = {
  messageId: 'rdx.message.id',
  messageType: 'rdx.message.type',
  batchSize: 'rdx.batch.size',
  attempt: 'rdx.webhook.attempt',
  subscriptionId: 'rdx.subscription.id',
  deliveryId: 'rdx.delivery.id',
} as const;

/** One span of a message's trace, with the traceparent that hands its context on. */
export class TracedSpan {
  private parent: string | undefined;

  constructor(readonly span: Span) {}

  /** The W3C traceparent naming this span, to store or send. */
  get traceParent(): string {
    this.parent ??= traceParentOf(this.span);
    return this.parent;
  }

  /** Ends the span; with an error, marked failed with the error's class or code (never its message). */
  end(error?: unknown): void {
    if (error !== undefined) {
      this.span.setStatus({ code: SpanStatusCode.ERROR });
      this.span.setAttribute(ATTR_ERROR_TYPE, errorType(error));
    }
    this.span.end();
  }
}

/** The producer spans of one broker event, and the headers that carry their contexts. */
export interface Publishing {
  readonly headers: Readonly<Record<string, string>>;
  end(error?: unknown): void;
}

/** A broker event as tracing sees it: its id, pattern and the messages it announces. */
export interface TracedEvent {
  readonly id: string;
  readonly pattern: string;
  readonly messageIds: readonly string[];
  readonly headers?: Readonly<Record<string, unknown>>;
}

const propagator = new W3CTraceContextPropagator();

/**
 * OpenTelemetry tracing of this process: off unless an OTLP endpoint is configured (or a test
 * passes an exporter), and then one trace per message, from `POST /v1/messages` through its
 * commit, the broker and routing to each webhook attempt. Callers check `enabled` before any
 * per-message work, so that tracing off costs nothing on the hot path.
 *
 * The provider is this instance's own, never registered globally: shutting the application
 * down flushes and stops it, and leaves nothing behind in the process.
 */
@Injectable()
export class Tracing implements OnApplicationShutdown {
  readonly enabled: boolean;
  private readonly provider: TracerProvider | undefined;
  private readonly tracer: Tracer;
  private readonly messagingSystem: string;

  constructor(
    @Inject(RDX_CONFIG) config: RdxConfig,
    @Optional() @Inject(SPAN_EXPORTER) exporter?: SpanExporter,
  ) {
    const processor: SpanProcessor | undefined =
      exporter !== undefined
        ? new SimpleSpanProcessor({ exporter })
        : config.tracing.tracesUrl !== undefined
          ? new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: config.tracing.tracesUrl }) })
          : undefined;
    this.enabled = processor !== undefined;
    this.messagingSystem = config.amqpUrl === undefined ? 'rdx-in-process' : 'rabbitmq';
    this.provider =
      processor &&
      new TracerProvider({
        resource: defaultResource().merge(
          resourceFromAttributes({
            [ATTR_SERVICE_NAME]: config.tracing.serviceName,
            'rdx.gateway.id': config.gatewayId,
            'rdx.gateway.roles': [...config.roles],
          }),
        ),
        spanProcessors: [processor],
      });
    this.tracer = (this.provider ?? trace).getTracer('@rdx/telemetry');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.provider?.shutdown();
  }

  /** Starts a span under `parent` (the current context by default). */
  start(name: string, kind: SpanKind, attributes: Attributes, parent?: Context): Span {
    return this.tracer.startSpan(name, { kind, attributes }, parent ?? activeTraceContext());
  }

  /**
   * The span of one message from its submission to the group commit until its batch committed,
   * in the current (HTTP request's) trace. The caller adds the batch's size when it is known.
   */
  startCommit(messageId: string, type: string): TracedSpan {
    return new TracedSpan(
      this.start('rdx.message.commit', SpanKind.INTERNAL, {
        [RDX_ATTRIBUTES.messageId]: messageId,
        [RDX_ATTRIBUTES.messageType]: type,
      }),
    );
  }

  /**
   * A PRODUCER span per announced message whose trace context was stored (`parents`), and the
   * event headers that carry them: `traceparent`/`tracestate` of the first, and each message's
   * own in `rdx-traceparents`. Undefined when none of its messages is traced.
   */
  startPublish(event: TracedEvent, parents: ReadonlyMap<string, string>): Publishing | undefined {
    const spans: TracedSpan[] = [];
    const byMessage: Record<string, string> = {};
    for (const messageId of event.messageIds) {
      const parent = contextOfTraceParent(parents.get(messageId));
      if (parent === undefined) continue;
      const span = new TracedSpan(
        this.start(
          `send ${event.pattern}`,
          SpanKind.PRODUCER,
          this.messaging(event, 'send', messageId),
          parent,
        ),
      );
      spans.push(span);
      byMessage[messageId] = span.traceParent;
    }
    if (spans.length === 0) return undefined;
    const headers: Record<string, string> = { [MESSAGE_TRACEPARENTS]: JSON.stringify(byMessage) };
    propagator.inject(trace.setSpan(ROOT_CONTEXT, spans[0].span), headers, {
      set: (carrier, key, value) => ((carrier as Record<string, string>)[key] = value),
    });
    return {
      headers,
      end: (error?: unknown) => spans.forEach((span) => span.end(error)),
    };
  }

  /**
   * A CONSUMER span per message of a broker event whose context its headers carry, under its
   * producer span: routing it. Messages without one (announced untraced) get none.
   */
  startRoutes(event: TracedEvent): Map<string, TracedSpan> {
    const parents = messageTraceParents(event.headers);
    const spans = new Map<string, TracedSpan>();
    for (const messageId of event.messageIds) {
      const parent = contextOfTraceParent(parents.get(messageId));
      if (parent === undefined || spans.has(messageId)) continue;
      const name = `process ${event.pattern}`;
      spans.set(
        messageId,
        new TracedSpan(
          this.start(name, SpanKind.CONSUMER, this.messaging(event, 'process', messageId), parent),
        ),
      );
    }
    return spans;
  }

  /**
   * A CLIENT span for one webhook attempt, under the routing span that scheduled the delivery
   * (`parent`, stored with it). Undefined for a delivery made untraced. Its traceparent goes on
   * the request, so that the receiving agency can join the trace.
   */
  startWebhookAttempt(
    parent: string | null | undefined,
    attempt: { url: URL; number: number; subscriptionId: string; deliveryId: string; messageId: string },
  ): TracedSpan | undefined {
    const context = contextOfTraceParent(parent);
    if (context === undefined) return undefined;
    const port =
      attempt.url.port === '' ? (attempt.url.protocol === 'https:' ? 443 : 80) : Number(attempt.url.port);
    return new TracedSpan(
      this.start(
        'POST webhook',
        SpanKind.CLIENT,
        {
          [ATTR_HTTP_REQUEST_METHOD]: 'POST',
          // The host only: a webhook URL's path and query may hold the receiver's own tokens.
          [ATTR_SERVER_ADDRESS]: attempt.url.hostname,
          [ATTR_SERVER_PORT]: port,
          [RDX_ATTRIBUTES.attempt]: attempt.number,
          [RDX_ATTRIBUTES.subscriptionId]: attempt.subscriptionId,
          [RDX_ATTRIBUTES.deliveryId]: attempt.deliveryId,
          [RDX_ATTRIBUTES.messageId]: attempt.messageId,
        },
        context,
      ),
    );
  }

  /** Records the endpoint's answer on a webhook attempt's span and ends it (not 2xx: failed). */
  endWebhookAttempt(span: TracedSpan, status: number): void {
    span.span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
    if (status >= 200 && status < 300) return span.end();
    span.span.setAttribute(ATTR_ERROR_TYPE, String(status));
    span.span.setStatus({ code: SpanStatusCode.ERROR });
    span.span.end();
  }

  private messaging(event: TracedEvent, operation: 'send' | 'process', messageId: string): Attributes {
    return {
      'messaging.system': this.messagingSystem,
      'messaging.operation.type': operation,
      'messaging.destination.name': event.pattern,
      'messaging.message.id': event.id,
      'messaging.batch.message_count': event.messageIds.length,
      [RDX_ATTRIBUTES.messageId]: messageId,
    };
  }
}

/** What kind of error ended a span: a stable code where it has one, else its class. */
function errorType(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[\w.:-]{1,64}$/.test(code)) return code;
  return error instanceof Error ? error.name : 'Error';
}
