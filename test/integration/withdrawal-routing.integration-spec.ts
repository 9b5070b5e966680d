import { Database, InboxRepository, MessagesRepository, ThreadsRepository } from '@rdx/persistence';
import { storeMessage, withTestDatabase } from '../support/test-database';

/**
 * A withdrawal (or an expiry) and routing meet at the recipients' inbox counters: what routing
 * has written into an inbox is delivered, and what is still in the routing queue when the
 * withdrawal commits never reaches an inbox. On PostgreSQL, where they run side by side.
 */
describe('cancelling deliveries beside routing (postgres)', () => {
  let db: Database;
  withTestDatabase('postgres', (opened) => (db = opened));
  const threads = new ThreadsRepository();
  const inbox = new InboxRepository();
  const messages = new MessagesRepository();
  const at = () => new Date().toISOString();

  const queued = async (messageId: string) =>
    (await db.query('SELECT 1 FROM routing_queue WHERE message_id = ?', [messageId])).length;

  it('waits for a routing transaction that holds the inbox, then finds the message delivered', async () => {
    const messageId = await storeMessage(db);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const holding = new Promise<void>((r) => (locked = r));
    const events: string[] = [];
    // Routing: the counter first, then the queue read, the entry written and the queue emptied.
    const routing = db.transaction(async (tx) => {
      await inbox.lockCounters(tx, ['ID.KEMLU']);
      locked();
      await held;
      await inbox.append(tx, 'ID.KEMLU', [messageId], at());
      await messages.dequeueRouted(tx, [
        {
          messageId,
          participantId: 'ID.KEMLU',
          receivedAt: (await messages.find(tx, messageId))!.receivedAt,
        },
      ]);
      await messages.markDeliveredMany(tx, [{ messageId, participantId: 'ID.KEMLU' }], at());
      events.push('routed');
    });
    await holding;
    const withdrawal = db.transaction(async (tx) => {
      const notReached = await threads.cancelDeliveries(tx, messageId, 'cancelled', at());
      events.push('cancelled');
      return notReached;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(events).toEqual([]); // the withdrawal waits on the inbox routing holds
    release();
    await routing;
    expect(await withdrawal).toEqual([]);
    expect(events).toEqual(['routed', 'cancelled']);
    expect((await messages.recipient(db, messageId, 'ID.KEMLU'))?.delivery).toBe('delivered');
  });

  it('leaves a routing transaction that comes after nothing to route', async () => {
    const messageId = await storeMessage(db);
    const notReached = await db.transaction(async (tx) => {
      const cancelled = await threads.cancelDeliveries(tx, messageId, 'cancelled', at());
      return cancelled;
    });
    expect(notReached).toEqual(['ID.KEMLU']);
    expect(await queued(messageId)).toBe(0);
    expect((await messages.recipient(db, messageId, 'ID.KEMLU'))?.delivery).toBe('cancelled');
  });
});
