import { MessageBusError } from './message-bus.error';
import { type BusEvent, MessageBus } from './message-bus.port';
import type { InProcessBroker } from './in-process.broker';

/**
 * The embedded publisher. With no durable broker, "confirmed" has to mean "handled": `publish` resolves
 * once the handlers have finished (or dead-lettered the event), and the outbox makes that crash-safe.
 */
export class InProcessMessageBus extends MessageBus {
  private closed = false;

  constructor(private readonly broker: InProcessBroker) {
    super();
  }

  override async publish(events: readonly BusEvent[]): Promise<void> {
    if (this.closed)
      throw new MessageBusError('ERR_BUS_CLOSED', 'The message bus is closed; nothing was published');
    await this.broker.publish(events);
  }

  override isReady(): boolean {
    return !this.closed;
  }

  override async close(): Promise<void> {
    this.closed = true;
  }
}
