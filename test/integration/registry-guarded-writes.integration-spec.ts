import {
  amongStored,
  AuditEntry,
  AuditRepository,
  createDataSource,
  Database,
  Executor,
  MessagesRepository,
  openAndMigrate,
  OutboxRepository,
  ParticipantsRepository,
  REGISTRY_UNCHANGED,
  registryChanged,
  registryInMemory,
  RegistryNotInMemory,
  registryVersion,
  STORED,
  Write,
  writeTogether,
} from '@rdx/persistence';
import { messageRecord, registerParticipants } from '../support/test-database';
import { createTestDatabase } from '../support/test-gateway';

const RECIPIENTS = ['ID.KEMLU', 'PH.DFA'];
const AT = new Date(Date.UTC(2026, 10, 29)).toISOString();

const count = async (ex: Executor, table: string): Promise<number> =>
  Number((await ex.query<{ n: number | string }>(`SELECT count(*) AS n FROM ${table}`))[0].n);

const acceptedEntry = (id: string): AuditEntry => ({
  at: AT,
  actor: 'KH.CNP',
  action: 'message.accepted',
  subject: id,
  details: { recipients: RECIPIENTS, note: 'ünïcode "quoted"' },
});

/**
 * A publish batch as one statement (PostgreSQL): decided on the registry as this process last
 * read it, and written only if the registry is still at that version. What it writes must be
 * what the long way, in a transaction, writes; and when the registry has changed, nothing.
 */
describe('writes guarded by the registry version (postgres)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: Database;
  let elsewhere: Database; // another gateway process on the same database
  const messages = new MessagesRepository();
  const audit = new AuditRepository();
  const outbox = new OutboxRepository();

  beforeAll(async () => {
    database = await createTestDatabase();
    db = new Database(createDataSource({ kind: 'postgres', url: database.url }));
    await openAndMigrate(db.dataSource);
    elsewhere = new Database(createDataSource({ kind: 'postgres', url: database.url }));
    await elsewhere.dataSource.initialize();
    await registerParticipants(db, ['KH.CNP', ...RECIPIENTS]);
  });

  afterAll(async () => {
    await elsewhere.close();
    await db.close();
    await database.drop();
  });

  /** The one statement of a batch whose messages are all for `RECIPIENTS`. */
  const batchWrites = (unchanged: Write, ids: string[]): Write[] => {
    const rows = ids.map((id) => ({ message: { ...messageRecord(AT), id }, recipients: RECIPIENTS }));
    return [
      unchanged,
      messages.insertNewWrite(
        rows.map((r) => r.message),
        `EXISTS (SELECT FROM ${REGISTRY_UNCHANGED})`,
      ),
      ...messages.recipientWrites(db, rows, true),
      ...audit.appendWritesWhere(ids.map(acceptedEntry), amongStored('subject')),
      { ...outbox.addWriteWhere(ids, 'message.accepted', AT, AT, amongStored('id')), name: 'announced' },
      {
        sql: `SELECT EXISTS (SELECT FROM ${REGISTRY_UNCHANGED}) AS unchanged, ARRAY(SELECT id FROM ${STORED}) AS stored,
          (SELECT id FROM announced) AS entry`,
        params: [],
        prepare: true,
      },
    ];
  };

  const totals = async () => ({
    messages: await count(db, 'messages'),
    recipients: await count(db, 'message_recipients'),
    queue: await count(db, 'routing_queue'),
    audit: await count(db, 'audit_pending'),
    outbox: await count(db, 'outbox'),
  });

  it('has nothing in memory before the registry was read', async () => {
    const fresh = new Database(createDataSource({ kind: 'postgres', url: database.url }));
    await fresh.dataSource.initialize();
    try {
      expect(registryInMemory(fresh)).toBeUndefined();
      await registryVersion(fresh);
      expect(registryInMemory(fresh)).toBeDefined();
    } finally {
      await fresh.close();
    }
  });

  it('answers registry reads from memory only: what was not read at that version throws', async () => {
    await registryVersion(db);
    const participants = new ParticipantsRepository();
    await expect(participants.findMany(registryInMemory(db)!.ex, ['KH.CNP'])).rejects.toBeInstanceOf(
      RegistryNotInMemory,
    );
    await participants.findMany(db, ['KH.CNP']);
    const [found] = await participants.findMany(registryInMemory(db)!.ex, ['KH.CNP']);
    expect(found).toMatchObject({ id: 'KH.CNP', status: 'active' });
  });

  it('writes what the long way writes, leaving out a message whose id is taken, with its rows', async () => {
    await registryVersion(db);
    const takenId = `m-${Date.now()}-taken`;
    await messages.insertNew(db, [{ ...messageRecord(AT), id: takenId }]);
    const ids = [`m-${Date.now()}-a`, takenId, `m-${Date.now()}-b`];
    const before = await totals();

    const [result] = await writeTogether<{ unchanged: boolean; stored: string[]; entry: string }>(
      db,
      batchWrites(registryInMemory(db)!.unchanged, ids),
    );

    const fresh = [ids[0], ids[2]];
    expect(result.unchanged).toBe(true);
    expect(new Set(result.stored)).toEqual(new Set(fresh));
    expect(await totals()).toEqual({
      messages: before.messages + 2,
      recipients: before.recipients + 4,
      queue: before.queue + 2 * RECIPIENTS.length,
      audit: before.audit + 1,
      outbox: before.outbox + 1,
    });
    // No recipient or queue row for the message already there.
    expect(await count(db, `message_recipients WHERE message_id = '${takenId}'`)).toBe(0);
    expect(await count(db, `routing_queue WHERE message_id = '${takenId}'`)).toBe(0);
    // The outbox entry and the queued record hold byte for byte what `addWrite` and
    // `appendWrites` would have written for the messages stored.
    const [entry] = await db.query<{ message_ids: string }>('SELECT message_ids FROM outbox WHERE id = ?', [
      result.entry,
    ]);
    expect(entry.message_ids).toBe(JSON.stringify(fresh));
    const [queued] = await db.query<{ entries: string }>(
      'SELECT entries FROM audit_pending ORDER BY id DESC LIMIT 1',
    );
    let longWay = '';
    const rolledBack = db.transaction(async (tx) => {
      await writeTogether(tx, audit.appendWrites(tx, fresh.map(acceptedEntry)));
      [{ entries: longWay }] = await tx.query<{ entries: string }>(
        'SELECT entries FROM audit_pending ORDER BY id DESC LIMIT 1',
      );
      throw new Error('rolled back: only its text was wanted');
    });
    await expect(rolledBack).rejects.toThrow(/rolled back/);
    expect(queued.entries).toBe(longWay);
  });

  it('writes nothing once another process has changed the registry', async () => {
    await registryVersion(db);
    const inMemory = registryInMemory(db)!;
    await elsewhere.transaction((tx) => registryChanged(tx));
    const before = await totals();

    const [result] = await writeTogether<{ unchanged: boolean; stored: string[]; entry: string | null }>(
      db,
      batchWrites(inMemory.unchanged, [`m-${Date.now()}-c`, `m-${Date.now()}-d`]),
    );

    expect(result).toEqual({ unchanged: false, stored: [], entry: null });
    expect(await totals()).toEqual(before);
    // Memory at the old version answers nothing more: the caller goes the long way.
    const participants = new ParticipantsRepository();
    await participants.findMany(db, ['KH.CNP']);
    await expect(participants.findMany(inMemory.ex, ['KH.CNP'])).rejects.toBeInstanceOf(RegistryNotInMemory);
    expect(registryInMemory(db)!.unchanged.params).toEqual([await registryVersion(db)]);
  });

  it('writes nothing when one of its writes fails', async () => {
    await registryVersion(db);
    const before = await totals();
    const id = `m-${Date.now()}-e`;
    const writes = batchWrites(registryInMemory(db)!.unchanged, [id]);
    // A recipient no one registered breaks a foreign key: the message goes with it.
    const broken = messages.recipientWrites(
      db,
      [{ message: { ...messageRecord(AT), id }, recipients: ['XX.NOBODY'] }],
      true,
    );
    await expect(writeTogether(db, [...writes.slice(0, 2), ...broken, ...writes.slice(-2)])).rejects.toThrow(
      /foreign key/i,
    );
    expect(await totals()).toEqual(before);
  });
});
