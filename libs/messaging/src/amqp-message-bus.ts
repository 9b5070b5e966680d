import { Logger, type LoggerService } from '@nestjs/common';
import type { ChannelModel, ConfirmChannel, Message } from 'amqplib';
import { AmqpConnection } from './amqp.connection';
import { type AmqpOptions, type ResolvedAmqpOptions, resolveAmqpOptions } from './amqp.options';
import {
  assertConsumeTopology,
  assertPublishTopology,
  type TopologyNames,
  topologyNames,
} from './amqp.topology';
import { MessageBusError } from './message-bus.error';
import { type BusEvent, MessageBus } from './message-bus.port';

interface PendingBatch {
  readonly ids: ReadonlySet<string>;
  readonly returned: Set<string>;
}

/**
 * Publishes to RabbitMQ with publisher confirms on a connection of its own, so flow control on the consumer
 * side never stalls it. Call `start()` once; it reconnects by itself after that.
 */
export class AmqpMessageBus extends MessageBus {
  private readonly options: ResolvedAmqpOptions;
  private readonly names: TopologyNames;
  private readonly connection: AmqpConnection;
  private channel: ConfirmChannel | undefined;
  // Batches awaiting confirms, so the one 'return' listener can tell each which of its events were unroutable.
  private readonly pending = new Set<PendingBatch>();
  private closed = false;
  private readonly bound = new Set<string>();

  constructor(
    options: AmqpOptions,
    private readonly logger: LoggerService = new Logger(AmqpMessageBus.name),
  ) {
    super();
    this.options = resolveAmqpOptions(options);
    this.names = topologyNames(this.options.prefix);
    this.connection = new AmqpConnection({
      url: this.options.url,
      name: `${this.options.prefix} publisher`,
      reconnectDelaysMs: this.options.reconnectDelaysMs,
      logger,
      setup: (model) => this.setUp(model),
      onDown: () => {
        this.channel = undefined;
      },
    });
  }

  /**
   * Starts connecting in the background and resolves once the first connection is up (it keeps retrying
   * until then). Publishing before that rejects, so callers need not wait for it.
   */
  start(): Promise<void> {
    return this.connection.open();
  }

  override isReady(): boolean {
    return !this.closed && this.channel !== undefined && this.connection.isUsable;
  }

  override async publish(events: readonly BusEvent[]): Promise<void> {
    if (this.closed)
      throw new MessageBusError('ERR_BUS_CLOSED', 'The message bus is closed; nothing was published');
    const channel = this.channel;
    if (!channel || !this.connection.isUsable) {
      throw new MessageBusError('ERR_BUS_UNAVAILABLE', 'Not connected to the broker; nothing was published');
    }
    if (events.length === 0) return;
    const bodies = events.map(encode);
    await this.bindOnce(channel, events);

    const batch: PendingBatch = { ids: new Set(events.map((event) => event.id)), returned: new Set() };
    this.pending.add(batch);
    try {
      const confirms = events.map((event, index) => this.publishOne(channel, event, bodies[index]));
      await withTimeout(Promise.all(confirms), this.options.confirmTimeoutMs);
    } finally {
      this.pending.delete(batch);
    }
    // RabbitMQ sends a mandatory message's basic.return before its ack, so all returns are in by now.
    if (batch.returned.size > 0) {
      const patterns = [...new Set(events.filter((e) => batch.returned.has(e.id)).map((e) => e.pattern))];
      throw new MessageBusError('ERR_BUS_UNROUTABLE', `No queue is bound for ${patterns.join(', ')}`);
    }
  }

  override async close(): Promise<void> {
    this.closed = true;
    this.channel = undefined;
    await this.connection.close();
  }

  /**
   * Declares the worker queue and binds each pattern before its first publish on a connection, so an
   * event published before any worker has started waits in the queue instead of being unroutable.
   */
  private async bindOnce(channel: ConfirmChannel, events: readonly BusEvent[]): Promise<void> {
    const unbound = [...new Set(events.map((event) => event.pattern))].filter((p) => !this.bound.has(p));
    if (unbound.length === 0) return;
    try {
      await assertConsumeTopology(channel, this.names, this.options.deliveryLimit, unbound);
    } catch (error) {
      throw new MessageBusError('ERR_BUS_UNAVAILABLE', 'Could not declare the worker queue', {
        cause: error,
      });
    }
    for (const pattern of unbound) this.bound.add(pattern);
  }

  private publishOne(channel: ConfirmChannel, event: BusEvent, body: Buffer): Promise<void> {
    return new Promise((resolve, reject) => {
      const onConfirm = (error: unknown): void => {
        if (!error) return resolve();
        const nacked = error instanceof Error && error.message === 'message nacked';
        reject(
          nacked
            ? new MessageBusError('ERR_BUS_NACKED', `The broker refused event ${event.id}`)
            : new MessageBusError('ERR_BUS_NOT_CONFIRMED', `Event ${event.id} was not confirmed`, {
                cause: error,
              }),
        );
      };
      try {
        // The return value only signals a full socket buffer; the confirm tells us what happened.
        channel.publish(
          this.names.exchange,
          event.pattern,
          body,
          {
            persistent: true,
            mandatory: true,
            contentType: 'application/json',
            messageId: event.id,
            type: event.pattern,
            timestamp: Math.floor(Date.now() / 1000),
            ...(event.headers === undefined ? {} : { headers: event.headers }),
          },
          onConfirm,
        );
      } catch (error) {
        // The channel closed under us before anything was sent.
        reject(new MessageBusError('ERR_BUS_UNAVAILABLE', 'Not connected to the broker', { cause: error }));
      }
    });
  }

  private async setUp(model: ChannelModel): Promise<void> {
    const channel = await model.createConfirmChannel();
    channel.on('error', (error: Error) => this.logger.warn(`Publisher channel error: ${error.message}`));
    channel.on('return', (message: Message) => this.onReturn(message));
    channel.on('close', () => {
      if (this.channel !== channel) return;
      this.channel = undefined;
      this.connection.recycle(model, 'the publisher channel closed');
    });
    await assertPublishTopology(channel, this.names);
    this.bound.clear();
    this.channel = channel;
  }

  private onReturn(message: Message): void {
    const id: unknown = message.properties.messageId;
    if (typeof id !== 'string') return;
    this.logger.warn(`Event ${id} (${message.fields.routingKey}) is unroutable: no queue is bound for it`);
    // Two concurrent batches holding the same id both fail: a needless retry is safe, a loss is not.
    for (const batch of this.pending) if (batch.ids.has(id)) batch.returned.add(id);
  }
}

function encode(event: BusEvent): Buffer {
  try {
    return Buffer.from(JSON.stringify(event.payload), 'utf8');
  } catch (error) {
    throw new MessageBusError('ERR_BUS_UNSERIALIZABLE', `Event ${event.id} cannot be encoded as JSON`, {
      cause: error,
    });
  }
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(new MessageBusError('ERR_BUS_NOT_CONFIRMED', `No confirm from the broker within ${ms} ms`)),
      ms,
    );
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
