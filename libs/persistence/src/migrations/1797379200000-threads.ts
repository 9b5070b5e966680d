import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cases: how messages link into conversations (`message_links`), and what each recipient of a
 * request owes its sender by when (`reply_deadlines`).
 *
 * - `message_links` has a row for each message that carries `inreplyto`, `supersedes`, `expires`
 *   or `respondby`, is a withdrawal, or was superseded or withdrawn; a message without one is a
 *   conversation of its own (`thread_id` is the id of the conversation's first message).
 * - `messages.source` no longer references `participants`: the gateway originates messages too
 *   (deadline notices), under its own id, which is not a participant.
 */
export class Threads1797379200000 implements MigrationInterface {
  name = 'Threads1797379200000';
  // SQLite changes a foreign key only by rebuilding the table, with foreign keys off, which a
  // transaction does not allow: this migration makes its own.
  transaction = false;

  async up(runner: QueryRunner): Promise<void> {
    await inTransaction(runner, async (postgres) => {
      if (postgres) await runner.query('ALTER TABLE messages DROP CONSTRAINT messages_source_fkey');
      else await rebuildMessages(runner, (sql) => sql.replace(SOURCE_KEY, '$1'));
      for (const statement of CREATE) await runner.query(statement);
    });
  }

  /** Fails, changing nothing, while the gateway's own messages are stored: their source is no participant. */
  async down(runner: QueryRunner): Promise<void> {
    await inTransaction(runner, async (postgres) => {
      await runner.query('DROP TABLE reply_deadlines');
      await runner.query('DROP TABLE message_links');
      if (postgres)
        await runner.query(
          'ALTER TABLE messages ADD CONSTRAINT messages_source_fkey FOREIGN KEY (source) REFERENCES participants (id)',
        );
      else
        await rebuildMessages(runner, (sql) =>
          sql.replace(/(\bsource\s+TEXT\s+NOT\s+NULL)/i, '$1 REFERENCES participants (id)'),
        );
    });
  }
}

const SOURCE_KEY = /(\bsource\s+TEXT\s+NOT\s+NULL)\s+REFERENCES\s+participants\s*\(id\)/i;

/** Runs `work` in a transaction of its own; on SQLite with foreign keys off until it ends. */
async function inTransaction(runner: QueryRunner, work: (postgres: boolean) => Promise<void>): Promise<void> {
  const postgres = runner.connection.options.type === 'postgres';
  // SQLite switches foreign keys off only outside a transaction.
  if (!postgres) await runner.query('PRAGMA foreign_keys = OFF');
  await runner.startTransaction();
  try {
    await work(postgres);
    await runner.commitTransaction();
  } catch (error) {
    await runner.rollbackTransaction();
    throw error;
  } finally {
    if (!postgres) await runner.query('PRAGMA foreign_keys = ON');
  }
}

const CREATE = [
  `CREATE TABLE message_links (
    message_id TEXT PRIMARY KEY REFERENCES messages (id),
    thread_id TEXT NOT NULL,
    in_reply_to TEXT NULL,
    supersedes TEXT NULL,
    withdraws TEXT NULL,
    expires_at TEXT NULL,
    expired_at TEXT NULL,
    respond_by TEXT NULL,
    superseded_by TEXT NULL,
    withdrawn_by TEXT NULL)`,
  `CREATE INDEX message_links_thread ON message_links (thread_id)`,
  // The expiry sweep reads only the messages whose expiry it has still to carry out.
  `CREATE INDEX message_links_expiring ON message_links (expires_at)
    WHERE expires_at IS NOT NULL AND expired_at IS NULL`,
  `CREATE TABLE reply_deadlines (
    message_id TEXT NOT NULL REFERENCES messages (id),
    participant_id TEXT NOT NULL REFERENCES participants (id),
    due_at TEXT NOT NULL,
    replied_at TEXT NULL,
    missed_at TEXT NULL,
    notice_id TEXT NULL,
    PRIMARY KEY (message_id, participant_id))`,
  // The deadline sweep reads only the deadlines still open.
  `CREATE INDEX reply_deadlines_open ON reply_deadlines (due_at)
    WHERE replied_at IS NULL AND missed_at IS NULL`,
  `CREATE INDEX reply_deadlines_missed ON reply_deadlines (missed_at) WHERE missed_at IS NOT NULL`,
];

/**
 * SQLite: `messages` made again with the definition `change` gives, its rows and indexes kept
 * (SQLite's documented way to change a constraint). Foreign keys must be off, in a transaction.
 */
async function rebuildMessages(runner: QueryRunner, change: (sql: string) => string): Promise<void> {
  const [table] = (await runner.query(
    `SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'messages'`,
  )) as { sql: string }[];
  const indexes = (await runner.query(
    `SELECT sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'messages' AND sql IS NOT NULL`,
  )) as { sql: string }[];
  const changed = change(table.sql);
  if (changed === table.sql) throw new Error('messages: the definition to change was not found');
  await runner.query(changed.replace(/^CREATE TABLE\s+"?messages"?/i, 'CREATE TABLE messages_rebuilt'));
  await runner.query('INSERT INTO messages_rebuilt SELECT * FROM messages');
  await runner.query('DROP TABLE messages');
  await runner.query('ALTER TABLE messages_rebuilt RENAME TO messages');
  for (const index of indexes) await runner.query(index.sql);
  const broken = (await runner.query('PRAGMA foreign_key_check')) as unknown[];
  if (broken.length > 0) throw new Error(`rebuilding messages would break ${broken.length} foreign key(s)`);
}
