import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditRepository, createDataSource, Database, MIGRATIONS, OutboxRepository } from '@rdx/persistence';
import { DataSource } from 'typeorm';
import { createTestDatabase } from '../support/test-gateway';

const LEASE = '2026-01-01T00:00:05.000Z';

type Target = Parameters<typeof createDataSource>[0];

/**
 * What waits in the queues when a gateway is upgraded is taken after it, as it would have been
 * before it: a message accepted is not lost to a migration, nor to its undoing.
 */
describe.each(['postgres', 'sqlite'] as const)('migrations of the queues (%s)', (dialect) => {
  const cleanups: (() => Promise<void>)[] = [];

  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  const freshTarget = async (): Promise<Target> => {
    if (dialect === 'postgres') {
      const database = await createTestDatabase();
      cleanups.push(() => database.drop());
      return { kind: 'postgres', url: database.url };
    }
    const dir = await mkdtemp(join(tmpdir(), 'rdx-db-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    return { kind: 'sqlite', path: join(dir, 'rdx.sqlite') };
  };

  /** A database migrated up to `name` (before it, or with it), open. */
  const migrated = async (target: Target, name: string, including: boolean): Promise<DataSource> => {
    const at = MIGRATIONS.findIndex((m) => m.name === name);
    expect(at).toBeGreaterThan(0);
    const source = new DataSource({
      ...createDataSource(target).options,
      migrations: MIGRATIONS.slice(0, including ? at + 1 : at),
    });
    await source.initialize();
    await source.runMigrations({ transaction: 'each' });
    return source;
  };

  /** `sql` with `?` placeholders, in the dialect's own. */
  const sql = (text: string) => {
    let n = 0;
    return dialect === 'postgres' ? text.replace(/\?/g, () => `$${++n}`) : text;
  };

  it('turns per-message outbox entries into entries of their own, leases kept, and back again', async () => {
    const target = await freshTarget();
    const old = await migrated(target, 'OutboxBatches1764280800000', false);
    for (const [messageId, attempts] of [
      ['m-1', 0],
      ['m-2', 3],
    ] as const)
      await old.query(
        sql(
          'INSERT INTO outbox (message_id, pattern, created_at, available_at, attempts) VALUES (?, ?, ?, ?, ?)',
        ),
        [messageId, 'message.accepted', '2026-01-01T00:00:00.000Z', LEASE, attempts],
      );
    await old.destroy();

    const current = await migrated(target, 'OutboxBatches1764280800000', true);
    const db = new Database(current);
    const outbox = new OutboxRepository();
    expect(await outbox.pending(db)).toBe(2);
    // Due once their lease ends, as before: each announces its message, with its attempts counted.
    expect(await db.transaction((tx) => outbox.claim(tx, '2026-01-01T00:00:04.000Z', LEASE, 10))).toEqual([]);
    const claimed = await db.transaction((tx) => outbox.claim(tx, LEASE, LEASE, 10));
    expect(claimed.map(({ messageIds, attempts }) => ({ messageIds, attempts }))).toEqual([
      { messageIds: ['m-1'], attempts: 1 },
      { messageIds: ['m-2'], attempts: 4 },
    ]);
    await db.transaction((tx) => outbox.addMany(tx, ['m-3', 'm-4'], 'message.accepted', LEASE));

    // Undone: one entry per message again, none left out.
    await current.undoLastMigration({ transaction: 'each' });
    const rows = await current.query<{ message_id: string; attempts: number }[]>(
      'SELECT message_id, attempts FROM outbox ORDER BY message_id',
    );
    expect(rows.map((r) => ({ messageId: r.message_id, attempts: Number(r.attempts) }))).toEqual([
      { messageId: 'm-1', attempts: 1 },
      { messageId: 'm-2', attempts: 4 },
      { messageId: 'm-3', attempts: 0 },
      { messageId: 'm-4', attempts: 0 },
    ]);
    await current.destroy();
  });

  it('keeps queued audit entries, in their order, when an act becomes one queued row, and back again', async () => {
    const target = await freshTarget();
    const old = await migrated(target, 'AuditQueueBatches1764284400000', false);
    const queued = [
      ['2026-01-01T00:00:01.000Z', 'a-1', '{"a":1}', 1],
      ['2026-01-01T00:00:02.000Z', 'a-2', null, 1],
      // Queued by a version that did not write details in canonical form.
      ['2026-01-01T00:00:03.000Z', 'a-3', '{"z": [1, {"b": 2, "a": 1}], "a": "é"}', 0],
    ] as const;
    for (const [at, subject, details, canonical] of queued)
      await old.query(
        sql(
          'INSERT INTO audit_pending (at, actor, action, subject, details, details_canonical) VALUES (?, ?, ?, ?, ?, ?)',
        ),
        [at, 'test', 'test.queued', subject, details, canonical],
      );
    await old.destroy();

    const current = await migrated(target, 'AuditQueueBatches1764284400000', true);
    const db = new Database(current);
    const audit = new AuditRepository();
    // An act after the upgrade: its two entries queue after the three that waited.
    await db.transaction((tx) =>
      audit.append(tx, [
        {
          at: '2026-01-01T00:00:04.000Z',
          actor: 'test',
          action: 'test.after',
          subject: 'b-1',
          details: { x: 1 },
        },
        { at: '2026-01-01T00:00:04.000Z', actor: 'test', action: 'test.after', subject: 'b-2' },
      ]),
    );
    const rows = await current.query<{ entries: string }[]>('SELECT entries FROM audit_pending ORDER BY id');
    expect(rows.map((r) => (JSON.parse(r.entries) as unknown[]).length)).toEqual([1, 1, 1, 2]);

    // Undone: a row per entry again, in the same order, the legacy entry still marked.
    await current.undoLastMigration({ transaction: 'each' });
    const back = await current.query<
      { subject: string; details: string | null; details_canonical: number }[]
    >('SELECT subject, details, details_canonical FROM audit_pending ORDER BY id');
    expect(back.map((r) => [r.subject, r.details, Number(r.details_canonical)])).toEqual([
      ['a-1', '{"a":1}', 1],
      ['a-2', null, 1],
      ['a-3', '{"z": [1, {"b": 2, "a": 1}], "a": "é"}', 0],
      ['b-1', '{"x":1}', 1],
      ['b-2', null, 1],
    ]);

    // And up again: linked into the chain in that order, the legacy details made canonical.
    await current.runMigrations({ transaction: 'each' });
    await audit.integrateAll(db);
    const items = await audit.page(db, 0, 10);
    expect(items.map((item) => item.subject)).toEqual(['a-1', 'a-2', 'a-3', 'b-1', 'b-2']);
    expect(items[2].details).toEqual({ a: 'é', z: [1, { a: 1, b: 2 }] });
    await current.destroy();
  });
});
