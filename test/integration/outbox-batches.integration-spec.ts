import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDataSource, Database, MIGRATIONS, OutboxRepository } from '@rdx/persistence';
import { DataSource } from 'typeorm';
import { createTestDatabase } from '../support/test-gateway';

const LEASE = '2026-01-01T00:00:05.000Z';

/**
 * Events waiting in the outbox when a gateway is upgraded are published after it, as they would
 * have been before it: a message accepted is not lost to a migration, nor to its undoing.
 */
describe.each(['postgres', 'sqlite'] as const)(
  'the outbox across the batch-entry migration (%s)',
  (dialect) => {
    let target: Parameters<typeof createDataSource>[0];
    let cleanup: () => Promise<void>;

    beforeAll(async () => {
      if (dialect === 'postgres') {
        const database = await createTestDatabase();
        target = { kind: 'postgres', url: database.url };
        cleanup = () => database.drop();
      } else {
        const dir = await mkdtemp(join(tmpdir(), 'rdx-db-'));
        target = { kind: 'sqlite', path: join(dir, 'rdx.sqlite') };
        cleanup = () => rm(dir, { recursive: true, force: true });
      }
    });

    afterAll(() => cleanup());

    /** The schema as it was before the migration: every migration but the last. */
    const before = (): DataSource =>
      new DataSource({ ...createDataSource(target).options, migrations: MIGRATIONS.slice(0, -1) });

    it('turns per-message entries into entries of their own, leases kept, and back again', async () => {
      expect(MIGRATIONS.at(-1)!.name).toBe('OutboxBatches1764280800000');
      const old = before();
      await old.initialize();
      await old.runMigrations({ transaction: 'each' });
      for (const [messageId, attempts] of [
        ['m-1', 0],
        ['m-2', 3],
      ] as const)
        await old.query(
          dialect === 'postgres'
            ? `INSERT INTO outbox (message_id, pattern, created_at, available_at, attempts) VALUES ($1, $2, $3, $4, $5)`
            : `INSERT INTO outbox (message_id, pattern, created_at, available_at, attempts) VALUES (?, ?, ?, ?, ?)`,
          [messageId, 'message.accepted', '2026-01-01T00:00:00.000Z', LEASE, attempts],
        );
      await old.destroy();

      const current = createDataSource(target);
      await current.initialize();
      await current.runMigrations({ transaction: 'each' });
      const db = new Database(current);
      const outbox = new OutboxRepository();
      expect(await outbox.pending(db)).toBe(2);
      // Due once their lease ends, as before: each announces its message, with its attempts counted.
      expect(await db.transaction((tx) => outbox.claim(tx, '2026-01-01T00:00:04.000Z', LEASE, 10))).toEqual(
        [],
      );
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
  },
);
