import {
  AuditRepository,
  Database,
  entryIds,
  Executor,
  MessageRecord,
  MessagesRepository,
  OutboxRepository,
  writeAtomically,
  writeTogether,
} from '@rdx/persistence';
import { RecordingExecutor } from '../support/query-plans';
import { messageRecord, openTestDatabase, registerParticipants } from '../support/test-database';

const RECIPIENTS = ['ID.KEMLU', 'PH.DFA'];
const AT = new Date(Date.UTC(2026, 10, 28)).toISOString();

const count = async (ex: Executor, table: string): Promise<number> =>
  Number((await ex.query<{ n: number | string }>(`SELECT count(*) AS n FROM ${table}`))[0].n);

describe.each(['postgres', 'sqlite'] as const)('writes sent together (%s)', (dialect) => {
  let db: Database;
  let cleanup: () => Promise<void>;
  const messages = new MessagesRepository();
  const audit = new AuditRepository();
  const outbox = new OutboxRepository();

  beforeAll(async () => {
    ({ db, cleanup } = await openTestDatabase(dialect));
    await registerParticipants(db, ['KH.CNP', ...RECIPIENTS]);
  });

  afterAll(async () => {
    await db.close();
    await cleanup();
  });

  /** The writes of a publish batch after its messages: recipients, queue, record, outbox entries last. */
  const publishWrites = (ex: Executor, batch: { message: MessageRecord; recipients: string[] }[]) => [
    ...messages.recipientWrites(ex, batch),
    ...audit.appendWrites(
      ex,
      batch.map(({ message }) => ({
        at: message.receivedAt,
        actor: message.source,
        action: 'message.accepted',
        subject: message.id,
      })),
    ),
    outbox.addWrite(
      ex,
      batch.map(({ message }) => message.id),
      'message.accepted',
      AT,
    ),
  ];

  it('writes to four tables (in one statement on PostgreSQL), and returns what the last one returns', async () => {
    const batch = [1, 2, 3].map(() => ({ message: messageRecord(AT), recipients: RECIPIENTS }));
    const before = {
      recipients: await count(db, 'message_recipients'),
      queue: await count(db, 'routing_queue'),
      audit: await count(db, 'audit_pending'),
    };
    const recorded: RecordingExecutor[] = [];
    const ids = await db.transaction(async (tx) => {
      await messages.insertNew(
        tx,
        batch.map((b) => b.message),
      );
      const recording = new RecordingExecutor(tx);
      recorded.push(recording);
      return entryIds(await writeTogether(recording, publishWrites(recording, batch)));
    });

    // Recipients and queue (2 x 3 rows), the record (3 rows), the outbox (one entry for the batch): 4 statements.
    expect(recorded[0].statements).toHaveLength(dialect === 'postgres' ? 1 : 4);
    expect(await count(db, 'message_recipients')).toBe(before.recipients + 6);
    expect(await count(db, 'routing_queue')).toBe(before.queue + 6);
    // The record: one queued row for the batch's three entries.
    expect(await count(db, 'audit_pending')).toBe(before.audit + 1);
    expect(ids).toHaveLength(1);
    const [stored] = await db.query<{ message_ids: string }>(
      'SELECT message_ids FROM outbox WHERE id = ?',
      ids,
    );
    expect(JSON.parse(stored.message_ids)).toEqual(batch.map((b) => b.message.id));
  });

  it('leaves nothing of any of the writes when one of them fails', async () => {
    const good = { message: messageRecord(AT), recipients: RECIPIENTS };
    // A recipient no one registered: its row breaks a foreign key.
    const bad = { message: messageRecord(AT), recipients: ['XX.NOBODY'] };
    const before = {
      messages: await count(db, 'messages'),
      recipients: await count(db, 'message_recipients'),
      queue: await count(db, 'routing_queue'),
      audit: await count(db, 'audit_pending'),
      outbox: await count(db, 'outbox'),
    };
    await expect(
      db.transaction(async (tx) => {
        await messages.insertNew(tx, [good.message, bad.message]);
        await writeTogether(tx, publishWrites(tx, [good, bad]));
      }),
    ).rejects.toThrow(/foreign key/i);
    expect({
      messages: await count(db, 'messages'),
      recipients: await count(db, 'message_recipients'),
      queue: await count(db, 'routing_queue'),
      audit: await count(db, 'audit_pending'),
      outbox: await count(db, 'outbox'),
    }).toEqual(before);
  });

  it('writes atomically outside any transaction of the caller: all or nothing', async () => {
    const good = { message: messageRecord(AT), recipients: RECIPIENTS };
    const bad = { message: messageRecord(AT), recipients: ['XX.NOBODY'] };
    await messages.insertNew(db, [good.message, bad.message]);
    const before = {
      recipients: await count(db, 'message_recipients'),
      audit: await count(db, 'audit_pending'),
      outbox: await count(db, 'outbox'),
    };
    // The bad batch's recipient breaks a foreign key: the good one's rows go with it.
    await expect(writeAtomically(db, publishWrites(db, [good, bad]))).rejects.toThrow(/foreign key/i);
    expect({
      recipients: await count(db, 'message_recipients'),
      audit: await count(db, 'audit_pending'),
      outbox: await count(db, 'outbox'),
    }).toEqual(before);
    expect(entryIds(await writeAtomically(db, publishWrites(db, [good])))).toHaveLength(1);
    expect(await count(db, 'message_recipients')).toBe(before.recipients + 2);
  });

  it('sends nothing for no writes, and a single write as it is', async () => {
    const recording = new RecordingExecutor(db);
    expect(await writeTogether(recording, [])).toEqual([]);
    expect(recording.statements).toHaveLength(0);
    const write = outbox.addWrite(recording, ['m-1'], 'message.accepted', AT);
    const rows = await writeTogether(recording, [write]);
    expect(recording.statements).toEqual([
      { sql: write.sql, params: write.params, options: { prepare: true } },
    ]);
    expect(entryIds(rows)).toHaveLength(1);
  });
});
