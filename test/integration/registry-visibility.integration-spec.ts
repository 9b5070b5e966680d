import { randomUUID } from 'node:crypto';
import {
  Database,
  Executor,
  KeysRepository,
  ParticipantsRepository,
  SubscriptionRecord,
  SubscriptionsRepository,
} from '@rdx/persistence';
import { withTestDatabase } from '../support/test-database';

const now = () => new Date().toISOString();

/**
 * Each process keeps the registry (subscriptions, participants, keys) in memory: a change one
 * process commits is seen by every other at once, and one rolled back by none.
 */
describe.each(['postgres', 'sqlite'] as const)('repositories under concurrency (%s)', (dialect) => {
  let db: Database;
  withTestDatabase(dialect, (opened) => (db = opened));

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
});
