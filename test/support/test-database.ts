import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createDataSource,
  Database,
  MessageRecord,
  MessagesRepository,
  openAndMigrate,
  ParticipantsRepository,
} from '@rdx/persistence';
import { createTestDatabase } from './test-gateway';

/** A migrated database of the test run's own: a PostgreSQL database, or a SQLite file; `cleanup` removes it. */
export async function openTestDatabase(
  dialect: 'postgres' | 'sqlite',
): Promise<{ db: Database; cleanup: () => Promise<void> }> {
  if (dialect === 'postgres') {
    const database = await createTestDatabase();
    const db = new Database(createDataSource({ kind: 'postgres', url: database.url }));
    await openAndMigrate(db.dataSource);
    return { db, cleanup: () => database.drop() };
  }
  const dir = await mkdtemp(join(tmpdir(), 'rdx-db-'));
  const db = new Database(createDataSource({ kind: 'sqlite', path: join(dir, 'rdx.sqlite') }));
  await openAndMigrate(db.dataSource);
  return { db, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Active law-enforcement participants with these ids (their country is the id's first two letters). */
export async function registerParticipants(db: Database, ids: readonly string[]): Promise<void> {
  const participants = new ParticipantsRepository();
  const at = new Date().toISOString();
  for (const id of ids)
    await participants.insert(db, {
      id,
      country: id.slice(0, 2),
      name: id,
      kind: 'law-enforcement',
      contact: null,
      status: 'active',
      createdAt: at,
      updatedAt: at,
    });
}

/** A stored message of KH.CNP's, with placeholder contents, accepted at `receivedAt`. */
export function messageRecord(receivedAt: string): MessageRecord {
  return {
    id: randomUUID(),
    source: 'KH.CNP',
    type: 't',
    kid: 'k',
    tlp: 'amber',
    digest: 'd',
    jws: 'j',
    receivedAt,
    withheld: [],
    receipt: 'r',
    purgedAt: null,
  };
}

/**
 * Copies of a stored message by SQL, quicker than through the repository for thousands: the
 * message `templateId` under the ids `<prefix><n>` for n in [from, to] (PostgreSQL).
 */
export async function copyMessage(
  db: Database,
  templateId: string,
  prefix: string,
  from: number,
  to: number,
): Promise<void> {
  const columns = (
    await db.query<{ name: string }>(
      `SELECT column_name AS name FROM information_schema.columns
       WHERE table_name = 'messages' AND column_name <> 'id' ORDER BY ordinal_position`,
    )
  ).map((c) => c.name);
  await db.execute(
    `INSERT INTO messages (id, ${columns.join(', ')})
     SELECT ? || n, ${columns.join(', ')} FROM messages, generate_series(?::int, ?::int) AS n WHERE id = ?`,
    [prefix, from, to, templateId],
  );
}

/**
 * Opens a database of its own for the enclosing `describe` block, with `participants`
 * registered, hands it to `use`, and closes and drops it afterwards.
 */
export function withTestDatabase(
  dialect: 'postgres' | 'sqlite',
  use: (db: Database) => void,
  participants: readonly string[] = ['KH.CNP', 'ID.KEMLU'],
): void {
  let opened: { db: Database; cleanup: () => Promise<void> };
  beforeAll(async () => {
    opened = await openTestDatabase(dialect);
    await registerParticipants(opened.db, participants);
    use(opened.db);
  });
  afterAll(async () => {
    await opened.db.close();
    await opened.cleanup();
  });
}

/** Stores a new message from KH.CNP to `recipients`; its id. */
export async function storeMessage(
  db: Database,
  recipients: readonly string[] = ['ID.KEMLU'],
): Promise<string> {
  const message = messageRecord(new Date().toISOString());
  await new MessagesRepository().insert(db, message, [...recipients]);
  return message.id;
}
