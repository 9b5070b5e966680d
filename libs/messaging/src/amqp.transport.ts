import { Logger, type LoggerService } from '@nestjs/common';
import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import { ChannelAcks } from './amqp.acks';
import { AmqpConnection } from './amqp.connection';
import { type AmqpOptions, type ResolvedAmqpOptions, resolveAmqpOptions } from './amqp.options';
import { assertConsumeTopology, type TopologyNames, topologyNames } from './amqp.topology';
import { RdxBusContext } from './bus.context';
import { BusTransport } from './bus.transport';
import { backoffDelay, delay, describeError } from './delay.util';

// How long close() lets running handlers finish; what is still unacked after that is redelivered.
const DRAIN_TIMEOUT_MS = 10_000;

type Settlement = 'ack' | 'requeue' | 'dead-letter';

/**
 * Consumes the routing queue for Nest `@EventPattern` handlers, acknowledging a delivery only once its
 * handler has finished, requeueing it after a backoff when the handler fails, and dead-lettering what no
 * handler can take. Reconnects by itself; pass it to `app.connectMicroservice({ strategy })`.
 */
export class AmqpTransport extends BusTransport {
  private readonly options: ResolvedAmqpOptions;
  private readonly names: TopologyNames;
  private readonly connection: AmqpConnection;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly stopping = new AbortController();
  private consumer: { channel: Channel; consumerTag: string; acks: ChannelAcks } | undefined;
  private closing: Promise<void> | undefined;

  constructor(
    options: AmqpOptions,
    protected override readonly logger: LoggerService = new Logger(AmqpTransport.name),
  ) {
    super();
    this.options = resolveAmqpOptions(options);
    this.names = topologyNames(this.options.prefix);
    this.connection = new AmqpConnection({
      url: this.options.url,
      name: `${this.options.prefix} consumer`,
      reconnectDelaysMs: this.options.reconnectDelaysMs,
      logger,
      setup: (model) => this.setUp(model),
      onDown: () => {
        this.consumer = undefined;
        this.setStatus('disconnected');
      },
    });
  }

  /** Calls back once consuming has started (retrying the connection until then), or with the error if closed first. */
  listen(callback: (...optionalParams: unknown[]) => void): void {
    // A process may start while the broker is down (its API must still accept into the outbox):
    // the consumer connects, and reconnects, in the background.
    this.connection
      .open()
      .catch((error: unknown) => this.logger.warn(`Consumer not connected yet: ${describeError(error)}`));
    callback();
  }

  /** Stops consuming, lets running handlers finish (up to a limit), then closes the connection. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  /** amqplib's recovering connection (a `RecoveringChannelModel`); only after `listen`. */
  unwrap<T>(): T {
    const underlying = this.connection.underlying;
    if (!underlying) throw new Error('AmqpTransport is not listening yet');
    return underlying as T;
  }

  override isConsuming(): boolean {
    return this.consumer !== undefined;
  }

  private async shutDown(): Promise<void> {
    // Handlers waiting out a backoff requeue at once instead.
    this.stopping.abort();
    const consumer = this.consumer;
    this.consumer = undefined;
    if (consumer) await consumer.channel.cancel(consumer.consumerTag).catch(() => undefined);
    const drainTimeout = new AbortController();
    await Promise.race([
      Promise.allSettled([...this.inFlight]),
      delay(DRAIN_TIMEOUT_MS, drainTimeout.signal),
    ]);
    drainTimeout.abort();
    // The acks of the handlers that just finished go before the channel closes.
    consumer?.acks.flush();
    await this.connection.close();
    this.setStatus('disconnected');
  }

  private async setUp(model: ChannelModel): Promise<void> {
    const channel = await model.createChannel();
    channel.on('error', (error: Error) => this.logger.warn(`Consumer channel error: ${error.message}`));
    channel.on('close', () => {
      if (this.consumer?.channel !== channel) return;
      this.consumer = undefined;
      this.setStatus('disconnected');
      this.connection.recycle(model, 'the consumer channel closed');
    });
    await assertConsumeTopology(channel, this.names, this.options.deliveryLimit, this.eventPatterns());
    await channel.prefetch(this.options.prefetch);
    const acks = new ChannelAcks(channel, (error, count) =>
      this.logger.warn(
        `Could not ack ${count} deliveries, they will be redelivered: ${describeError(error)}`,
      ),
    );
    const { consumerTag } = await channel.consume(
      this.names.queue,
      (message) => this.onDelivery(model, acks, message),
      {
        noAck: false,
      },
    );
    this.consumer = { channel, consumerTag, acks };
    this.setStatus('connected');
  }

  private onDelivery(model: ChannelModel, acks: ChannelAcks, message: ConsumeMessage | null): void {
    if (message === null) {
      // The broker cancelled us (e.g. the queue was deleted): a fresh setup declares it again.
      this.connection.recycle(model, 'the broker cancelled the consumer');
      return;
    }
    acks.received(message);
    const work = this.handle(acks, message)
      .catch((error: unknown) => this.logger.error(`Delivery handling failed: ${describeError(error)}`))
      .finally(() => this.inFlight.delete(work));
    this.inFlight.add(work);
  }

  private async handle(acks: ChannelAcks, message: ConsumeMessage): Promise<void> {
    const pattern = message.fields.routingKey;
    const messageId =
      typeof message.properties.messageId === 'string' ? message.properties.messageId : '(none)';
    const label = `message ${messageId} (${pattern})`;
    if (this.stopping.signal.aborted) return this.settle(acks, message, 'requeue', label);

    const payload = parsePayload(message.content);
    if (!payload) {
      this.logger.error(`Dead-lettering ${label}: the body is not a JSON object`);
      return this.settle(acks, message, 'dead-letter', label);
    }
    if (!this.hasEventHandler(pattern)) {
      this.logger.error(`Dead-lettering ${label}: no handler for this pattern`);
      return this.settle(acks, message, 'dead-letter', label);
    }

    const deliveryCount = deliveryCountOf(message);
    const context = new RdxBusContext([
      {
        messageId,
        pattern,
        redelivered: message.fields.redelivered,
        deliveryCount,
        headers: stringHeaders(message),
      },
    ]);
    try {
      await this.dispatch(pattern, payload, context);
    } catch (error) {
      const wait = backoffDelay(this.options.handlerRetryDelaysMs, deliveryCount);
      this.logger.error(
        `Handler failed on ${label}, delivery ${deliveryCount + 1}; requeueing in ${wait} ms: ${describeError(error)}`,
      );
      await delay(wait, this.stopping.signal);
      return this.settle(acks, message, 'requeue', label);
    }
    this.settle(acks, message, 'ack', label);
  }

  private settle(acks: ChannelAcks, message: ConsumeMessage, settlement: Settlement, label: string): void {
    try {
      if (settlement === 'ack') acks.ack(message);
      else acks.nack(message, settlement === 'requeue');
    } catch (error) {
      // The channel died while the handler ran; the broker redelivers the message to the next consumer.
      this.logger.warn(`Could not ${settlement} ${label}, it will be redelivered: ${describeError(error)}`);
    }
  }
}

function parsePayload(content: Buffer): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(content.toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The string headers of a delivery (the publisher's `BusEvent.headers`); undefined when none. */
function stringHeaders(message: ConsumeMessage): Record<string, string> | undefined {
  const headers: Record<string, unknown> | undefined = message.properties.headers;
  if (headers === undefined) return undefined;
  let found: Record<string, string> | undefined;
  for (const [name, value] of Object.entries(headers))
    if (typeof value === 'string') (found ??= {})[name] = value;
  return found;
}

// Quorum queues count deliveries in this header; classic queues only say "redelivered".
function deliveryCountOf(message: ConsumeMessage): number {
  const count: unknown = message.properties.headers?.['x-delivery-count'];
  if (typeof count === 'number') return count;
  return message.fields.redelivered ? 1 : 0;
}
