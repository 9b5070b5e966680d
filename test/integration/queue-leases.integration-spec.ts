import { randomUUID } from 'node:crypto';
import {
  Database,
  Executor,
  MessagesRepository,
  OutboxRepository,
  StatementOptions,
  SubscriptionsRepository,
  WebhookDeliveriesRepository,
} from '@rdx/persistence';
import { messageRecord, storeMessage, withTestDatabase } from '../support/test-database';

const now = () => new Date().toISOString();

/**
 * The queues that hand work from one process to another under a lease: outbox entries to the
 * publishers, a subscription's webhook deliveries to one dispatcher at a time.
 */
describe.each(['postgres', 'sqlite'] as const)('repositories under concurrency (%s)', (dialect) => {
  let db: Database;
  const messages = new MessagesRepository();
  const outbox = new OutboxRepository();
  withTestDatabase(dialect, (opened) => (db = opened));

  const aMessage = () => storeMessage(db);

  const webhooks = new WebhookDeliveriesRepository();

  /** A webhook subscription of ID.KEMLU's, with `count` deliveries due now; its id. */
  const aWebhookSubscription = async (count: number): Promise<string> => {
    const subscriptionId = `sub_hook_${randomUUID()}`;
    await db.transaction((tx) =>
      new SubscriptionsRepository().insert(tx, {
        id: subscriptionId,
        participantId: 'ID.KEMLU',
        types: [`alert.${randomUUID()}`],
        filterSources: null,
        purpose: null,
        deliveryMode: 'webhook',
        webhookUrl: 'https://hooks.example.org/rdx',
        createdAt: now(),
        status: 'active',
        disabledReason: null,
      }),
    );
    const messageIds = await Promise.all(Array.from({ length: count }, aMessage));
    const created = now();
    await db.transaction((tx) =>
      webhooks.create(
        tx,
        messageIds.map((messageId, i) => ({
          id: `wd_${randomUUID()}`,
          subscriptionId,
          participantId: 'ID.KEMLU',
          messageId,
          seq: i + 1,
          status: 'pending',
          attempts: 0,
          nextAttemptAt: created,
          lastStatusCode: null,
          lastError: null,
          createdAt: created,
          deliveredAt: null,
          failedAt: null,
        })),
      ),
    );
    return subscriptionId;
  };

  it('leases outbox entries to one publisher at a time, and gives them out again when the lease runs out', async () => {
    const id = await aMessage();
    await db.transaction((tx) => outbox.add(tx, id, 'message.accepted', now()));
    const lease = new Date(Date.now() + 60_000).toISOString();
    const [first, second] = await Promise.all([
      db.transaction((tx) => outbox.claim(tx, now(), lease, 10)),
      db.transaction((tx) => outbox.claim(tx, now(), lease, 10)),
    ]);
    expect([...first, ...second].map((e) => e.messageIds)).toEqual([[id]]);
    const later = new Date(Date.now() + 120_000).toISOString();
    const again = await db.transaction((tx) => outbox.claim(tx, later, later, 10));
    expect(again).toMatchObject([{ messageIds: [id], attempts: 2 }]);
    await outbox.remove(
      db,
      again.map((e) => e.id),
    );
    expect(await outbox.pending(db)).toBe(0);
  });

  it("leases a subscription's webhook deliveries to one dispatcher at a time; a lease that ran out is no longer its holder's", async () => {
    const subscriptionId = await aWebhookSubscription(3);
    const at = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();
    const claim = (when: string, leaseUntil: string) =>
      db.transaction((tx) => webhooks.claimDue(tx, when, leaseUntil, 16, 2));
    const seqs = (batches: { seq: number }[][]) => batches.map((batch) => batch.map((d) => d.seq));

    const firstLease = at(60);
    const [one, other] = await Promise.all([claim(now(), firstLease), claim(now(), firstLease)]);
    expect(seqs([...one, ...other])).toEqual([[1, 2]]);
    // The lease runs out: another dispatcher takes the subscription...
    const secondLease = at(180);
    expect(seqs(await claim(at(120), secondLease))).toEqual([[1, 2]]);
    // ...and the first can neither move the lease on nor give it up.
    expect(await webhooks.extendLease(db, subscriptionId, firstLease, at(240))).toBe(false);
    await webhooks.releaseSubscription(db, subscriptionId, firstLease);
    expect(await claim(at(120), at(240))).toEqual([]);
    // The holder moves it on, reads its next due deliveries under it, and lets it go.
    const thirdLease = at(300);
    expect(await webhooks.extendLease(db, subscriptionId, secondLease, thirdLease)).toBe(true);
    expect((await webhooks.dueOf(db, subscriptionId, at(120), 8)).map((d) => d.seq)).toEqual([1, 2, 3]);
    await webhooks.releaseSubscription(db, subscriptionId, thirdLease);
    expect(seqs(await claim(at(120), at(240)))).toEqual([[1, 2]]);
  });

  it("reads each due delivery with its last attempt's number, which a replay keeps", async () => {
    const subscriptionId = await aWebhookSubscription(2);
    const due = () => webhooks.dueOf(db, subscriptionId, now(), 8);
    const [first, second] = await due();
    expect([first.lastAttempt, second.lastAttempt]).toEqual([0, 0]);
    for (const attempt of [1, 2])
      await db.transaction((tx) =>
        webhooks.recordAttempt(
          tx,
          { deliveryId: first.id, attempt, at: now(), statusCode: 503, latencyMs: 5, error: null },
          attempt === 1 ? { status: 'pending', nextAttemptAt: now() } : { status: 'failed' },
        ),
      );
    expect((await due()).map((d) => [d.seq, d.lastAttempt])).toEqual([[2, 0]]);

    await db.transaction((tx) => webhooks.replay(tx, { id: first.id }, now(), 1));
    const [replayed] = await due();
    expect(replayed).toMatchObject({ id: first.id, attempts: 0, lastAttempt: 2 });
  });

  it('does not lease a subscription whose deliveries stopped being due between its two reads', async () => {
    const subscriptionId = await aWebhookSubscription(1);
    // Between the read of the subscriptions with due deliveries and the read of its deliveries,
    // the one due is delivered (by a dispatcher whose lease had run out, say).
    const claimed = await db.transaction(async (tx) => {
      let statements = 0;
      const interleaved: Executor = {
        dialect: tx.dialect,
        query: async <T>(sql: string, params?: readonly unknown[], options?: StatementOptions) => {
          if (statements++ === 1)
            await tx.execute(`UPDATE webhook_deliveries SET status = 'delivered' WHERE subscription_id = ?`, [
              subscriptionId,
            ]);
          return tx.query<T>(sql, params, options);
        },
        execute: (sql, params, options) => tx.execute(sql, params, options),
      };
      return webhooks.claimDue(interleaved, now(), new Date(Date.now() + 60_000).toISOString(), 16, 2);
    });
    expect(claimed.filter((batch) => batch[0]?.subscriptionId === subscriptionId)).toEqual([]);
    expect(claimed.every((batch) => batch.length > 0)).toBe(true);
    const [row] = await db.query<{ dispatch_lease_until: string | null }>(
      'SELECT dispatch_lease_until FROM subscriptions WHERE id = ?',
      [subscriptionId],
    );
    expect(row.dispatch_lease_until).toBeNull();
  });

  it('announces a batch in one outbox entry, and counts what waits by message', async () => {
    const ids = await Promise.all(Array.from({ length: 3 }, aMessage));
    const before = await outbox.pending(db);
    const [entry] = await db.transaction((tx) => outbox.addMany(tx, ids, 'message.accepted', now()));
    expect(await outbox.pending(db)).toBe(before + 3);
    const claimed = await db.transaction((tx) => outbox.claim(tx, now(), now(), 10));
    expect(claimed.find((e) => e.id === entry)?.messageIds).toEqual(ids);
    await outbox.remove(db, [entry]);
    expect(await outbox.pending(db)).toBe(before);
  });

  it('announces again only the stalled messages whose event no outbox entry still holds', async () => {
    // Accepted long ago and never routed; one of them still has its event waiting in the outbox.
    const old = [1, 2, 3].map((i) => messageRecord(`2001-01-01T00:00:0${i}.000Z`));
    for (const message of old) await messages.insert(db, message, ['ID.KEMLU']);
    const recent = await aMessage();
    const [waiting, ...lost] = old.map((m) => m.id);
    const held = await db.transaction((tx) =>
      outbox.addMany(tx, [waiting, recent], 'message.accepted', now(), '2999-01-01T00:00:00.000Z'),
    );
    const announce = () =>
      db.transaction((tx) =>
        outbox.reannounceStalled(tx, '2001-01-02T00:00:00.000Z', 'message.accepted', now(), 100),
      );
    expect((await announce()).sort()).toEqual([...lost].sort());
    // Their new entry holds them now: a second sweep finds nothing to announce.
    expect(await announce()).toEqual([]);
    const claimed = await db.transaction((tx) => outbox.claim(tx, now(), now(), 100));
    expect(claimed.flatMap((e) => e.messageIds).sort()).toEqual([...lost].sort());
    await outbox.remove(db, [...held, ...claimed.map((e) => e.id)]);
  });
});
