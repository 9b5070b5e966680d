import { Logger, type LoggerService } from '@nestjs/common';
import { RdxBusContext } from './bus.context';
import { backoffDelay, delay, describeError } from './delay.util';
import { MessageBusError } from './message-bus.error';
import type { BusEvent } from './message-bus.port';

const MAX_DEAD_LETTERS = 1000;

/** What the in-process transport registers with the broker. */
export interface InProcessConsumer {
  handles(pattern: string): boolean;
  /** Settles when the handler has finished; a rejection means "try again". */
  deliver(pattern: string, payload: Record<string, unknown>, context: RdxBusContext): Promise<void>;
}

/** An event the handler kept failing on, kept for inspection as RabbitMQ's dead-letter queue would. */
export interface DeadLetter {
  readonly event: BusEvent;
  readonly reason: string;
  readonly deadLetteredAt: Date;
}

export interface InProcessBrokerOptions {
  /** Waits between tries of a failing handler; one more try than entries. Default 100 ms, 1 s, 5 s. */
  retryDelaysMs?: readonly number[];
}

/**
 * The embedded broker: one object per process that hands each published event to a consumer, retrying a
 * failing handler a few times and then dead-lettering the event in memory. Nothing is durable; the
 * publisher's outbox is what survives a crash.
 */
export class InProcessBroker {
  private readonly consumers = new Set<InProcessConsumer>();
  private readonly deadLetters: DeadLetter[] = [];
  private readonly retryDelaysMs: readonly number[];
  private wake = new AbortController();

  constructor(
    options: InProcessBrokerOptions = {},
    private readonly logger: LoggerService = new Logger(InProcessBroker.name),
  ) {
    this.retryDelaysMs = options.retryDelaysMs ?? [100, 1000, 5000];
  }

  /** Registers a consumer; returns the function that removes it. */
  attach(consumer: InProcessConsumer): () => void {
    this.consumers.add(consumer);
    return () => {
      this.consumers.delete(consumer);
      // Cut retry waits short, so a shutting-down process is not held by a backoff timer.
      this.wake.abort();
      this.wake = new AbortController();
    };
  }

  /** Events given up on, oldest first. They hold payloads: show them only to whom may see those. */
  get deadLettered(): readonly DeadLetter[] {
    return this.deadLetters;
  }

  /**
   * Delivers every event and settles when each was handled or dead-lettered. Rejects, delivering nothing,
   * if some pattern has no consumer (as an unroutable mandatory publish would).
   */
  async publish(events: readonly BusEvent[]): Promise<void> {
    const unroutable = [...new Set(events.map((e) => e.pattern).filter((p) => !this.consumerFor(p)))];
    if (unroutable.length > 0) {
      throw new MessageBusError('ERR_BUS_UNROUTABLE', `No consumer handles ${unroutable.join(', ')}`);
    }
    // Encoded and decoded as on the wire: handlers get their own copy, with the types JSON can carry.
    const copies = events.map((event) => ({ event, payload: roundTrip(event) }));
    // Never run a handler on the publisher's stack.
    await new Promise((resolve) => setImmediate(resolve));
    await Promise.all(copies.map(({ event, payload }) => this.deliver(event, payload)));
  }

  private async deliver(event: BusEvent, payload: string): Promise<void> {
    const label = `event ${event.id} (${event.pattern})`;
    for (let attempt = 0; ; attempt++) {
      const consumer = this.consumerFor(event.pattern);
      if (!consumer) {
        throw new MessageBusError(
          'ERR_BUS_NOT_CONFIRMED',
          `The consumer of ${label} went away before handling it`,
        );
      }
      // Taken before the try: a consumer that goes away while its handler runs cuts the backoff short too.
      const wake = this.wake.signal;
      const context = new RdxBusContext([
        {
          messageId: event.id,
          pattern: event.pattern,
          redelivered: attempt > 0,
          deliveryCount: attempt,
          headers: event.headers,
        },
      ]);
      try {
        await consumer.deliver(event.pattern, JSON.parse(payload) as Record<string, unknown>, context);
        return;
      } catch (error) {
        if (attempt >= this.retryDelaysMs.length) {
          this.logger.error(`Dead-lettering ${label} after ${attempt + 1} tries: ${describeError(error)}`);
          this.deadLetters.push({ event, reason: describeError(error), deadLetteredAt: new Date() });
          // Bounded, since nothing drains it; the oldest goes first.
          if (this.deadLetters.length > MAX_DEAD_LETTERS) this.deadLetters.shift();
          return;
        }
        const wait = backoffDelay(this.retryDelaysMs, attempt);
        this.logger.error(
          `Handler failed on ${label}, try ${attempt + 1}; retrying in ${wait} ms: ${describeError(error)}`,
        );
        await delay(wait, wake);
      }
    }
  }

  private consumerFor(pattern: string): InProcessConsumer | undefined {
    for (const consumer of this.consumers) if (consumer.handles(pattern)) return consumer;
    return undefined;
  }
}

function roundTrip(event: BusEvent): string {
  try {
    const encoded = JSON.stringify(event.payload);
    if (typeof encoded !== 'string') throw new TypeError('The payload encodes to nothing');
    return encoded;
  } catch (error) {
    throw new MessageBusError('ERR_BUS_UNSERIALIZABLE', `Event ${event.id} cannot be encoded as JSON`, {
      cause: error,
    });
  }
}
