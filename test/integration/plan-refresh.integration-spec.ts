import { createDataSource, Database, InboxRepository, MessagesRepository } from '@rdx/persistence';
import { DataSource } from 'typeorm';
import { buffersOf, nodeOn, type PlanNode } from '../support/query-plans';
import { copyMessage, messageRecord, openTestDatabase, registerParticipants } from '../support/test-database';

/** Inbox entries the participant has when its statements are first planned, and after. */
const FEW = 20;
const MANY = 20_000;

describe("a connection's cached plans, as its tables grow (postgres)", () => {
  let migrated: Database;
  let db: Database;
  let cleanup: () => Promise<void>;
  let now = Date.parse('2026-11-29T12:00:00Z');
  const inbox = new InboxRepository();

  beforeAll(async () => {
    ({ db: migrated, cleanup } = await openTestDatabase('postgres'));
    // One connection, so that every statement below and every EXPLAIN meet the same plan cache.
    const url = (migrated.dataSource.options as { url: string }).url;
    const single = new DataSource({
      ...createDataSource({ kind: 'postgres', url }).options,
      extra: { max: 1 },
    });
    await single.initialize();
    db = new Database(single, { replanAfterMs: 60_000, clock: () => now });
    await registerParticipants(db, ['KH.CNP', 'ID.KEMLU']);
    await addInboxEntries(1, FEW);
  });

  afterAll(async () => {
    await db.close();
    await migrated.close();
    await cleanup();
  });

  /** Messages `msg_<n>` for n in [from, to], each in ID.KEMLU's inbox at seq n. */
  async function addInboxEntries(from: number, to: number): Promise<void> {
    const template = messageRecord(new Date(now).toISOString());
    await new MessagesRepository().insert(db, template, []);
    await copyMessage(db, template.id, 'msg_', from, to);
    await db.execute(
      `INSERT INTO inbox_entries (participant_id, seq, message_id, created_at)
       SELECT 'ID.KEMLU', n, 'msg_' || n, ? FROM generate_series(${from}, ${to}) AS n`,
      [new Date(now).toISOString()],
    );
  }

  const lookUp = (seqs: number[]) =>
    inbox.items(
      db,
      'ID.KEMLU',
      seqs.map((n) => `msg_${n}`),
    );

  /** The inbox lookup's prepared statement run under EXPLAIN, with whatever plan the connection holds for it. */
  async function explainLookup(seqs: number[]): Promise<PlanNode> {
    const [{ name }] = await db.query<{ name: string }>(
      `SELECT name FROM pg_prepared_statements
       WHERE statement LIKE '%FROM inbox_entries e JOIN messages m%' AND statement LIKE '%e.message_id = ANY%'`,
    );
    const ids = seqs.map((n) => `msg_${n}`).join(',');
    const [row] = await db.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
      `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) EXECUTE ${name}('ID.KEMLU', '{${ids}}')`,
    );
    return row['QUERY PLAN'][0].Plan;
  }

  it('are made again a while later, so a lookup by key stays one after a table grew a thousandfold', async () => {
    // Used while the inbox is small, the lookup gets a generic plan for the connection.
    for (let i = 0; i < 8; i++) expect((await lookUp([3, 7])).size).toBe(2);
    await addInboxEntries(FEW + 1, MANY);
    const [{ analysed }] = await db.query<{ analysed: string }>(
      `SELECT count(*) AS analysed FROM pg_stats WHERE tablename = 'inbox_entries'`,
    );
    expect(Number(analysed)).toBe(0);

    // Within the minute the old plan stands: it reads the whole inbox to find two entries.
    now += 59_000;
    expect((await lookUp([MANY - 9, MANY - 4])).size).toBe(2);
    const stale = nodeOn(await explainLookup([MANY - 9, MANY - 4]), 'inbox_entries')!;
    expect(buffersOf(stale)).toBeGreaterThan(100);

    // A minute on, the connection's plans are dropped when it is next taken, and made anew.
    now += 2_000;
    for (let i = 0; i < 8; i++) expect((await lookUp([MANY - 9, MANY - 4])).size).toBe(2);
    const fresh = nodeOn(await explainLookup([MANY - 9, MANY - 4]), 'inbox_entries')!;
    expect(buffersOf(fresh)).toBeLessThan(10);
  });
});
