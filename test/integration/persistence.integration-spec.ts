import { randomUUID } from 'node:crypto';
import { canonicalize, sha256Hex } from '@rdx/crypto';
import {
  AuditRepository,
  Database,
  Executor,
  InboxRepository,
  inList,
  insertRows,
  KeysRepository,
  MessagesRepository,
  OutboxRepository,
  PREPARED,
  ParticipantsRepository,
  StatementOptions,
  SubscriptionRecord,
  SubscriptionsRepository,
  TokensRepository,
  WebhookDeliveriesRepository,
} from '@rdx/persistence';
import { RecordingExecutor } from '../support/query-plans';
import { messageRecord, openTestDatabase, registerParticipants } from '../support/test-database';

const now = () => new Date().toISOString();

describe.each(['postgres', 'sqlite'] as const)('repositories under concurrency (%s)', (dialect) => {
  let db: Database;
  let cleanup: () => Promise<void>;
  const messages = new MessagesRepository();
  const inbox = new InboxRepository();
  const audit = new AuditRepository();
  const outbox = new OutboxRepository();
  const tokens = new TokensRepository();

  beforeAll(async () => {
    ({ db, cleanup } = await openTestDatabase(dialect));
    await registerParticipants(db, ['KH.CNP', 'ID.KEMLU']);
  });

  afterAll(async () => {
    await db.close();
    await cleanup();
  });

  const aMessage = async () => {
    const message = messageRecord(now());
    await messages.insert(db, message, ['ID.KEMLU']);
    return message.id;
  };

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

  it('numbers an inbox without gaps or repeats when many workers append at once, duplicates included', async () => {
    const ids = await Promise.all(Array.from({ length: 40 }, aMessage));
    // Every message is appended twice, concurrently, as a redelivered broker message would be.
    await Promise.all(
      [...ids, ...ids].map((id) => db.transaction((tx) => inbox.append(tx, 'ID.KEMLU', [id], now()))),
    );
    expect(await db.transaction((tx) => inbox.append(tx, 'ID.KEMLU', [], now()))).toEqual([]);
    const page = await inbox.page(db, 'ID.KEMLU', 0, 500);
    expect(page.map((row) => row.seq)).toEqual(ids.map((_id, i) => i + 1));
    expect(new Set(page.map((row) => row.messageId))).toEqual(new Set(ids));
  });

  it('queues entries of concurrent transactions without a lock, links them into one hash chain, and a rolled-back one leaves no trace', async () => {
    const before = await audit.length(db);
    await Promise.all(
      Array.from({ length: 30 }, (_v, i) =>
        db.transaction((tx) =>
          audit.append(tx, [
            { at: now(), actor: 'test', action: 'test.append', subject: `s-${i}`, details: { i } },
          ]),
        ),
      ),
    );
    await expect(
      db.transaction(async (tx) => {
        await audit.append(tx, [{ at: now(), actor: 'test', action: 'test.rollback', subject: 'x' }]);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await audit.page(db, before, 500)).toEqual([]);
    await audit.integrateAll(db);
    const items = await audit.page(db, before, 500);
    expect(items).toHaveLength(30);
    let prev = before === 0 ? '0'.repeat(64) : (await audit.page(db, before - 1, 1))[0].hash;
    items.forEach((item, i) => {
      expect(item.seq).toBe(before + i + 1);
      expect(item.prevHash).toBe(prev);
      const { hash, ...rest } = item;
      expect(hash).toBe(sha256Hex(canonicalize(rest)));
      prev = hash;
    });
    expect(items.some((item) => item.action === 'test.rollback')).toBe(false);
  });

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

  it("creates a participant's inbox counter with it, and locks existing counters in one statement", async () => {
    await registerParticipants(db, ['VN.MOFA']);
    const [counter] = await db.query<{ last_seq: number | string }>(
      'SELECT last_seq FROM inbox_counters WHERE participant_id = ?',
      ['VN.MOFA'],
    );
    expect(Number(counter.last_seq)).toBe(0);
    const recorder = await db.transaction(async (tx) => {
      const recording = new RecordingExecutor(tx);
      expect(await inbox.lockCounters(recording, ['VN.MOFA', 'KH.CNP'])).toEqual(
        new Map([
          ['KH.CNP', expect.any(Number)],
          ['VN.MOFA', 0],
        ]),
      );
      return recording;
    });
    expect(recorder.statements).toHaveLength(1);
  });

  it('creates a counter found missing, once, when many workers lock it at once', async () => {
    await registerParticipants(db, ['TH.DSDW']);
    await db.execute('DELETE FROM inbox_counters WHERE participant_id = ?', ['TH.DSDW']);
    // Twenty workers each take the next number for TH.DSDW (and KH.CNP, locked with it).
    const taken = await Promise.all(
      Array.from({ length: 20 }, () =>
        db.transaction(async (tx) => {
          const seq = (await inbox.lockCounters(tx, ['TH.DSDW', 'KH.CNP'])).get('TH.DSDW')! + 1;
          await tx.execute('UPDATE inbox_counters SET last_seq = ? WHERE participant_id = ?', [
            seq,
            'TH.DSDW',
          ]);
          return seq;
        }),
      ),
    );
    expect(taken.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_v, i) => i + 1));
  });

  it('shows every process a subscription change as soon as it commits, and none that rolled back', async () => {
    // Two repositories, as two processes would have, each with its own copy in memory.
    const reader = new SubscriptionsRepository();
    const writer = new SubscriptionsRepository();
    const subscription = (id: string, types: string[]): SubscriptionRecord => ({
      id,
      participantId: 'ID.KEMLU',
      types,
      filterSources: null,
      purpose: null,
      deliveryMode: 'pull',
      webhookUrl: null,
      createdAt: now(),
      status: 'active',
      disabledReason: null,
    });
    const ids = async (types: string[]) =>
      db.transaction(async (tx) => {
        const byType = await reader.forTypes(tx, types);
        return types.map((type) => byType.get(type)!.map((s) => s.id));
      });
    const [a, b] = [`sub_a_${randomUUID()}`, `sub_b_${randomUUID()}`];
    const [alert, rescue] = [`alert.${randomUUID()}`, `rescue.${randomUUID()}`];

    expect(await ids([alert, rescue])).toEqual([[], []]);
    await db.transaction((tx) => writer.insert(tx, subscription(b, [alert, rescue])));
    expect(await ids([alert, rescue])).toEqual([[b], [b]]);
    await db.transaction((tx) => writer.insert(tx, subscription(a, [alert])));
    expect(await ids([alert, rescue])).toEqual([[a, b], [b]]);

    await expect(
      db.transaction(async (tx) => {
        await writer.disable(tx, a, 'rolled back');
        await writer.insert(tx, subscription(`sub_c_${randomUUID()}`, [rescue]));
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await ids([alert, rescue])).toEqual([[a, b], [b]]);

    await db.transaction((tx) => writer.disable(tx, a, 'gone'));
    expect(await ids([alert])).toEqual([[b]]);
    expect(await db.transaction((tx) => writer.delete(tx, 'ID.KEMLU', b))).toBe(true);
    expect(await ids([alert, rescue])).toEqual([[], []]);
    // Deleting what is not there changes nothing, and a fresh reader agrees with the cached one.
    expect(await db.transaction((tx) => writer.delete(tx, 'ID.KEMLU', b))).toBe(false);
    expect(await db.transaction((tx) => new SubscriptionsRepository().forTypes(tx, [alert]))).toEqual(
      new Map([[alert, []]]),
    );
  });

  it('shows every process a change of participants and keys as soon as it commits, never one rolled back', async () => {
    const [reader, writer] = [new ParticipantsRepository(), new ParticipantsRepository()];
    const [readKeys, writeKeys] = [new KeysRepository(), new KeysRepository()];
    const status = async (ex: Executor = db) =>
      Object.fromEntries((await reader.findMany(ex, ['KH.CNP', newcomer])).map((p) => [p.id, p.status]));
    const newcomer = `MY.${randomUUID().slice(0, 8).toUpperCase()}`;
    const kid = `k-${randomUUID()}`;

    expect(await status()).toEqual({ 'KH.CNP': 'active' });
    // A transaction sees its own change, through the same memory; rolled back, nobody else does,
    // not even after another change commits (a counter would come back to the same number).
    await expect(
      db.transaction(async (tx) => {
        await writer.setStatus(tx, 'KH.CNP', 'suspended', now());
        expect(await status(tx)).toEqual({ 'KH.CNP': 'suspended' });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    await db.transaction((tx) =>
      writer.insert(tx, {
        id: newcomer,
        country: 'MY',
        name: newcomer,
        kind: 'foreign-affairs',
        contact: null,
        status: 'active',
        createdAt: now(),
        updatedAt: now(),
      }),
    );
    expect(await status()).toEqual({ 'KH.CNP': 'active', [newcomer]: 'active' });

    const key = {
      kid,
      participantId: newcomer,
      alg: 'EdDSA' as const,
      jwk: { kty: 'OKP', crv: 'Ed25519', x: 'x', kid },
      status: 'active' as const,
      notBefore: null,
      notAfter: null,
      createdAt: now(),
      retiredAt: null,
      revokedAt: null,
      revocationReason: null,
    };
    expect(await readKeys.findMany(db, [kid])).toEqual([]);
    await db.transaction((tx) => writeKeys.insert(tx, key));
    expect((await readKeys.findMany(db, [kid])).map((k) => k.status)).toEqual(['active']);
    await db.transaction((tx) => writeKeys.revoke(tx, kid, now(), 'compromised'));
    // Read in a transaction, as publishing does: the keys and the participants share one version read.
    await db.transaction(async (tx) => {
      expect((await readKeys.findMany(tx, [kid])).map((k) => k.status)).toEqual(['revoked']);
      expect(await status(tx)).toEqual({ 'KH.CNP': 'active', [newcomer]: 'active' });
    });
    await db.transaction((tx) => writer.setStatus(tx, newcomer, 'suspended', now()));
    expect(await status()).toEqual({ 'KH.CNP': 'active', [newcomer]: 'suspended' });
  });

  it('writes and matches every kind of text through the batched statements, byte for byte', async () => {
    const texts = [
      '',
      'NULL',
      'null',
      'a,b',
      '{x}',
      '"quoted"',
      'back\\slash\\',
      'é 中文 🚀',
      ' spaced ',
      'line\nbreak',
    ];
    const table = `batched_${randomUUID().replace(/-/g, '')}`;
    await db.execute(`CREATE TABLE ${table} (k TEXT NOT NULL, v TEXT NULL, n BIGINT NULL)`);
    const rows = [...texts.map((t, i) => [t, t, i]), ['nothing', null, null]];
    const insert = insertRows(
      db,
      table,
      [
        ['k', 'text'],
        ['v', 'text'],
        ['n', 'bigint'],
      ],
      rows,
    );
    expect(await db.execute(insert.sql, insert.params, PREPARED)).toBe(rows.length);
    const among = inList(db, 'k', texts);
    const found = await db.query<{ k: string; v: string | null; n: number | string | null }>(
      `SELECT k, v, n FROM ${table} WHERE ${among.sql} ORDER BY n`,
      among.params,
      PREPARED,
    );
    expect(found.map((r) => [r.k, r.v, Number(r.n)])).toEqual(texts.map((t, i) => [t, t, i]));
    const [none] = await db.query<{ v: string | null; n: unknown }>(
      `SELECT v, n FROM ${table} WHERE k = 'nothing'`,
    );
    expect(none).toEqual({ v: null, n: null });
    await db.execute(`DROP TABLE ${table}`);
  });

  it('refuses a replayed token id and forgets expired ones', async () => {
    const past = new Date(Date.now() - 1000).toISOString();
    expect(await tokens.useTokenId(db, 'ID.KEMLU', 'jti-1', past)).toBe(true);
    expect(await tokens.useTokenId(db, 'ID.KEMLU', 'jti-1', past)).toBe(false);
    expect(await tokens.useTokenId(db, 'KH.CNP', 'jti-1', past)).toBe(true);
    expect(await tokens.purgeUsedTokenIds(db, now())).toBe(2);
    expect(await tokens.useTokenId(db, 'ID.KEMLU', 'jti-1', past)).toBe(true);
  });
});
