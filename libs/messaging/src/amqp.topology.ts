import type { Channel } from 'amqplib';

export interface TopologyNames {
  /** Topic exchange every event is published to, with its pattern as routing key. */
  exchange: string;
  /** Quorum queue the workers consume, bound to every pattern that has a handler. */
  queue: string;
  /** Fanout exchange that collects what `queue` gives up on. */
  deadLetterExchange: string;
  /** Quorum queue holding dead letters for an operator to inspect or replay. */
  deadLetterQueue: string;
}

/** The names of the exchanges and queues of one deployment. */
export function topologyNames(prefix: string): TopologyNames {
  return {
    exchange: `${prefix}.events`,
    queue: `${prefix}.routing`,
    deadLetterExchange: `${prefix}.dlx`,
    deadLetterQueue: `${prefix}.dead-letter`,
  };
}

/** Declares the exchange publishers need; idempotent, so it runs on every (re)connect. */
export async function assertPublishTopology(channel: Channel, names: TopologyNames): Promise<void> {
  await channel.assertExchange(names.exchange, 'topic', { durable: true });
}

/** Declares everything a consumer needs and binds `patterns`; idempotent, so it runs on every (re)connect. */
export async function assertConsumeTopology(
  channel: Channel,
  names: TopologyNames,
  deliveryLimit: number,
  patterns: readonly string[],
): Promise<void> {
  await assertPublishTopology(channel, names);
  await channel.assertExchange(names.deadLetterExchange, 'fanout', { durable: true });
  await channel.assertQueue(names.deadLetterQueue, {
    durable: true,
    arguments: { 'x-queue-type': 'quorum' },
  });
  await channel.bindQueue(names.deadLetterQueue, names.deadLetterExchange, '');
  await channel.assertQueue(names.queue, {
    durable: true,
    arguments: {
      'x-queue-type': 'quorum',
      'x-delivery-limit': deliveryLimit,
      'x-dead-letter-exchange': names.deadLetterExchange,
      // At-least-once dead-lettering keeps a message in the queue until the dead-letter queue has it;
      // RabbitMQ allows it only together with reject-publish overflow (no length limit is set, so moot).
      'x-dead-letter-strategy': 'at-least-once',
      'x-overflow': 'reject-publish',
    },
  });
  for (const pattern of patterns) await channel.bindQueue(names.queue, names.exchange, pattern);
}
