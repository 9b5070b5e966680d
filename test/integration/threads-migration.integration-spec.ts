import { createDataSource, Database, MessagesRepository, openAndMigrate } from '@rdx/persistence';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { messageRecord, registerParticipants, storeMessage } from '../support/test-database';
import { createTestDatabase } from '../support/test-gateway';

/** The migrations from the threads migration on, undone last first. */
const FROM_THREADS = 2;

/**
 * The threads migration on a database that holds messages: `messages` is rebuilt on SQLite (its
 * foreign key on `source` goes), and every message, recipient and inbox entry stays as it was.
 */
describe.each(['postgres', 'sqlite'] as const)('the threads migration on stored messages (%s)', (dialect) => {
  let db: Database;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    if (dialect === 'postgres') {
      const database = await createTestDatabase();
      db = new Database(createDataSource({ kind: 'postgres', url: database.url }));
      cleanup = () => database.drop();
    } else {
      const dir = await mkdtemp(join(tmpdir(), 'rdx-db-'));
      db = new Database(createDataSource({ kind: 'sqlite', path: join(dir, 'rdx.sqlite') }));
      cleanup = () => rm(dir, { recursive: true, force: true });
    }
    await openAndMigrate(db.dataSource);
  });
  afterAll(async () => {
    await db.close();
    await cleanup();
  });

  const messagesTable = async () => ({
    messages: await db.query('SELECT * FROM messages ORDER BY id'),
    recipients: await db.query('SELECT * FROM message_recipients ORDER BY message_id'),
    queue: await db.query('SELECT * FROM routing_queue ORDER BY message_id'),
  });

  it('keeps every stored message, and then takes the gateway’s own; its down refuses while they exist', async () => {
    for (let i = 0; i < FROM_THREADS; i++) await db.dataSource.undoLastMigration({ transaction: 'each' });
    await registerParticipants(db, ['KH.CNP', 'ID.KEMLU']);
    for (let i = 0; i < 3; i++) await storeMessage(db);
    const before = await messagesTable();
    expect(before.messages).toHaveLength(3);

    await db.dataSource.runMigrations({ transaction: 'each' });
    expect(await messagesTable()).toEqual(before);
    if (dialect === 'sqlite') expect(await db.query('PRAGMA foreign_key_check')).toEqual([]);
    // The gateway's own message: a source that is no participant.
    const notice = { ...messageRecord(new Date().toISOString()), source: 'rdx-gateway' };
    expect(await new MessagesRepository().insert(db, notice, ['ID.KEMLU'])).toBe(true);

    // Down to before the threads migration: refused, and nothing changes.
    await db.dataSource.undoLastMigration({ transaction: 'each' });
    const kept = await messagesTable();
    await expect(db.dataSource.undoLastMigration({ transaction: 'each' })).rejects.toThrow();
    expect(await messagesTable()).toEqual(kept);
    expect(await db.query('SELECT COUNT(*) AS n FROM message_links')).toEqual([
      { n: dialect === 'postgres' ? '0' : 0 },
    ]);
  });
});
