import type { Channel, ConsumeMessage } from 'amqplib';

/**
 * Settles one channel's deliveries. Acks wait for the end of the current turn of the event loop
 * (a handler that commits a batch settles all its deliveries in one turn), and those below every
 * delivery still being handled go as one "all up to" ack; the others go one by one. A nack goes
 * at once. A delivery is never acknowledged before its handler settles it.
 */
export class ChannelAcks {
  /** Tags delivered and not settled yet (their handler still runs, or their ack waits). */
  private readonly unsettled = new Set<number>();
  /** Deliveries whose handler succeeded, by tag, waiting for the end of the turn. */
  private readonly ready = new Map<number, ConsumeMessage>();
  private scheduled = false;

  constructor(
    readonly channel: Channel,
    /** Told when an ack could not be sent (the channel died): those deliveries come again. */
    private readonly failed: (error: unknown, count: number) => void,
  ) {}

  received(message: ConsumeMessage): void {
    this.unsettled.add(message.fields.deliveryTag);
  }

  ack(message: ConsumeMessage): void {
    this.ready.set(message.fields.deliveryTag, message);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Rejects a delivery now: back to the queue, or to the dead-letter exchange. Throws if the channel is gone. */
  nack(message: ConsumeMessage, requeue: boolean): void {
    this.unsettled.delete(message.fields.deliveryTag);
    this.channel.nack(message, false, requeue);
  }

  /** Sends the acks waiting for the end of the turn now (before the channel closes, say). */
  flush(): void {
    this.scheduled = false;
    let handling = Infinity;
    for (const tag of this.unsettled) if (!this.ready.has(tag) && tag < handling) handling = tag;
    let upTo: ConsumeMessage | undefined;
    let count = 0;
    try {
      for (const [tag, message] of this.ready) {
        this.ready.delete(tag);
        this.unsettled.delete(tag);
        count++;
        if (tag > handling) this.channel.ack(message);
        else if (upTo === undefined || tag > upTo.fields.deliveryTag) upTo = message;
      }
      if (upTo !== undefined) this.channel.ack(upTo, true);
    } catch (error) {
      this.failed(error, count);
    }
  }
}
