import { Channel, ConsumeMessage } from 'amqplib';
import { Pool } from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { assertMessageQueue, Broker } from './broker';
import { BaselineConfig } from './config';
import { createPool, ensureSchema } from './schema';
import { TickBatcher } from './tick-batcher';
import { readWorld, routeKey, routeMap } from './world';

const PREFETCH = 1_000;
const MAX_BATCH = 500;
const POOL_SIZE = 2;
const RETRY_PAUSE_MS = 1_000;

// unnest keeps the statement constant (prepared once) and free of the 65,535 bind-parameter
// limit, so even 500 messages with many recipients each go in one statement.
const INSERT_INBOX = `INSERT INTO baseline_inbox (participant_id, message_id, created_at)
  SELECT participant_id, message_id, $3 FROM unnest($1::text[], $2::text[]) AS t(participant_id, message_id)
  ON CONFLICT DO NOTHING`;

/** Starts the worker: schema, routes, then consuming; returns a function that stops it gracefully. */
export async function startWorker(config: BaselineConfig): Promise<() => Promise<void>> {
  const routes = routeMap(await readWorld(config.worldFile));
  const pool = createPool(config.databaseUrl, POOL_SIZE);
  await ensureSchema(pool);
  const broker = await Broker.connect(config.amqpUrl);
  const channel = await broker.channel();
  const queue = await assertMessageQueue(channel, config.prefix);
  await channel.prefetch(PREFETCH);

  const route = new RouteMessages(pool, channel, routes);
  // Flushes are serialised (one in flight), so acknowledging "all up to the last" is exact.
  const batcher = new TickBatcher<ConsumeMessage>((batch) => route.flush(batch), MAX_BATCH, 1);
  const { consumerTag } = await channel.consume(queue, (delivery) => {
    if (delivery !== null) batcher.add(delivery);
  });
  return async () => {
    await channel.cancel(consumerTag); // deliveries already sent arrive before cancel-ok
    await batcher.drain();
    await broker.close(channel);
    await pool.end();
  };
}

/** Writes the inbox rows of a batch of deliveries, then acknowledges them: ack only after commit. */
class RouteMessages {
  constructor(
    private readonly pool: Pool,
    private readonly channel: Channel,
    private readonly routes: Map<string, readonly string[]>,
  ) {}

  async flush(batch: ConsumeMessage[]): Promise<void> {
    const createdAt = new Date().toISOString();
    const participants: string[] = [];
    const messageIds: string[] = [];
    for (const delivery of batch) {
      const announcement = readAnnouncement(delivery);
      if (announcement === undefined) continue;
      // A message nobody subscribes to is acknowledged with nothing to write.
      for (const recipient of this.routes.get(routeKey(announcement.type, announcement.source)) ?? []) {
        participants.push(recipient);
        messageIds.push(announcement.id);
      }
    }
    const last = batch[batch.length - 1];
    try {
      if (participants.length > 0) {
        await this.pool.query({
          name: 'baseline-insert-inbox',
          text: INSERT_INBOX,
          values: [participants, messageIds, createdAt],
        });
      }
    } catch (error) {
      console.error('baseline: inbox insert failed; requeueing the batch:', (error as Error).message);
      this.channel.nack(last, true, true);
      await sleep(RETRY_PAUSE_MS);
      return;
    }
    this.channel.ack(last, true);
  }
}

/** What the api publishes for each accepted message. */
interface Announcement {
  id: string;
  source: string;
  type: string;
}

/**
 * Only the api publishes to this queue, so an unreadable delivery is a bug: it is logged and
 * acknowledged with the batch (the baseline has no dead-letter queue). Throwing instead would leave
 * it unacknowledged until the next batch's "all up to" ack swept it up unprocessed.
 */
function readAnnouncement(delivery: ConsumeMessage): Announcement | undefined {
  try {
    const { id, source, type } = JSON.parse(delivery.content.toString('utf8')) as Record<string, unknown>;
    if (typeof id === 'string' && typeof source === 'string' && typeof type === 'string')
      return { id, source, type };
  } catch {
    // falls through to the log below
  }
  console.error(
    'baseline: unreadable delivery acknowledged without routing:',
    delivery.content.toString('utf8'),
  );
  return undefined;
}
