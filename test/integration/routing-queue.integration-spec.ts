import { randomUUID } from 'node:crypto';
import {
  Database,
  MessageRecord,
  MessagesRepository,
  QueueWindow,
  TransactionOptions,
} from '@rdx/persistence';

/** As routing runs its transactions: planned by key. */
const ROUTING: TransactionOptions = { planByKeys: true };
import {
  buffersOf,
  explainAnalysed,
  nodeOn,
  PlanNode,
  RecordingExecutor,
  scansOf,
} from '../support/query-plans';
import { messageRecord, openTestDatabase, registerParticipants } from '../support/test-database';

const RECIPIENTS = ['ID.KEMLU', 'PH.DFA', 'VN.MOFA'];

/** A message accepted `offsetMs` after a fixed moment. */
const message = (offsetMs: number): MessageRecord =>
  messageRecord(new Date(Date.UTC(2026, 10, 28) + offsetMs).toISOString());

describe.each(['postgres', 'sqlite'] as const)('the routing queue (%s)', (dialect) => {
  let db: Database;
  let cleanup: () => Promise<void>;
  const messages = new MessagesRepository();

  beforeAll(async () => {
    ({ db, cleanup } = await openTestDatabase(dialect));
    await registerParticipants(db, ['KH.CNP', ...RECIPIENTS]);
  });

  afterAll(async () => {
    await db.close();
    await cleanup();
  });

  it('gives each recipient its queue in acceptance order, up to its bound and its limit, and forgets what was routed', async () => {
    // Accepted out of order, as concurrent publishers commit; two share a moment.
    const batch = [5, 1, 3, 3, 2, 4].map((offset) => message(offset));
    await messages.insertMany(
      db,
      batch.map((m) => ({ message: m, recipients: ['ID.KEMLU', 'PH.DFA'] })),
    );
    const inOrder = [...batch].sort(
      (a, b) => a.receivedAt.localeCompare(b.receivedAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
    const at = (offset: number) => message(offset).receivedAt;

    const due = await messages.dueForInbox(
      db,
      new Map([
        ['ID.KEMLU', { from: '', to: at(3) }],
        ['PH.DFA', { from: '', to: at(5) }],
        ['VN.MOFA', { from: '', to: at(5) }],
      ]),
      [],
      4,
    );
    expect(due.get('ID.KEMLU')!.map((m) => m.id)).toEqual(inOrder.slice(0, 4).map((m) => m.id));
    expect(due.get('PH.DFA')!.map((m) => m.id)).toEqual(inOrder.slice(0, 4).map((m) => m.id));
    expect(due.get('VN.MOFA')).toEqual([]);
    expect(due.get('ID.KEMLU')![0]).toMatchObject({ source: 'KH.CNP', jws: '', digest: 'd' });

    await db.transaction((tx) =>
      messages.dequeueRouted(
        tx,
        inOrder
          .slice(0, 2)
          .map((m) => ({ messageId: m.id, participantId: 'ID.KEMLU', receivedAt: m.receivedAt })),
      ),
    );
    const after = await messages.dueForInbox(
      db,
      new Map([
        ['ID.KEMLU', { from: '', to: at(9) }],
        ['PH.DFA', { from: '', to: at(1) }],
      ]),
      ['t'],
    );
    expect(after.get('ID.KEMLU')!.map((m) => m.id)).toEqual(inOrder.slice(2).map((m) => m.id));
    expect(after.get('ID.KEMLU')![0].jws).toBe('j');
    expect(after.get('PH.DFA')!.map((m) => m.id)).toEqual([inOrder[0].id]);
    // Read from a floor: what was accepted before it is not looked at, both ends included.
    const fromFloor = await messages.dueForInbox(db, new Map([['PH.DFA', { from: at(3), to: at(4) }]]), []);
    expect(fromFloor.get('PH.DFA')!.map((m) => m.id)).toEqual(inOrder.slice(2, 5).map((m) => m.id));

    const recipients = await messages.recipientsOf(db, [batch[0].id, randomUUID()]);
    expect(recipients).toHaveLength(2);
    expect(new Set(recipients.map((r) => r.participantId))).toEqual(new Set(['ID.KEMLU', 'PH.DFA']));
    expect(recipients.every((r) => r.messageId === batch[0].id && r.receivedAt === batch[0].receivedAt)).toBe(
      true,
    );
  });
});

describe('routing on PostgreSQL without statistics', () => {
  let db: Database;
  let cleanup: () => Promise<void>;
  const messages = new MessagesRepository();

  beforeAll(async () => {
    ({ db, cleanup } = await openTestDatabase('postgres'));
    await registerParticipants(db, ['KH.CNP', ...RECIPIENTS]);
    // A history and a backlog, never analysed: the planner knows nothing of these tables.
    for (let done = 0; done < 4_000; done += 200)
      await messages.insertMany(
        db,
        Array.from({ length: 200 }, (_, i) => ({ message: message(done + i), recipients: RECIPIENTS })),
      );
  });

  afterAll(async () => {
    await db.close();
    await cleanup();
  });

  it('reads and writes the queue through its keys alone, whatever the tables hold', async () => {
    const [{ analysed }] = await db.query<{ analysed: string }>(
      `SELECT count(*) AS analysed FROM pg_stats
       WHERE tablename IN ('messages', 'message_recipients', 'routing_queue')`,
    );
    expect(Number(analysed)).toBe(0);

    const scans = await db.transaction(async (tx) => {
      const recorder = new RecordingExecutor(tx);
      const ids = (
        await tx.query<{ id: string }>('SELECT id FROM messages ORDER BY received_at LIMIT 100')
      ).map((row) => row.id);
      const recipients = await messages.recipientsOf(recorder, ids);
      const windows = new Map<string, QueueWindow>();
      for (const r of recipients)
        if ((windows.get(r.participantId)?.to ?? '') < r.receivedAt)
          windows.set(r.participantId, { from: '', to: r.receivedAt });
      const due = await messages.dueForInbox(recorder, windows, ['t']);
      const routed = [...due].flatMap(([participantId, list]) =>
        list.map((m) => ({ messageId: m.id, participantId, receivedAt: m.receivedAt })),
      );
      expect(routed).toHaveLength(300);
      await messages.dequeueRouted(recorder, routed);
      await messages.markDeliveredMany(recorder, routed, new Date().toISOString());
      const found: string[] = [];
      for (const { sql, params, options } of recorder.statements) {
        const [row] = await tx.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
          `EXPLAIN (FORMAT JSON) ${sql}`,
          params,
          options,
        );
        found.push(...scansOf(row['QUERY PLAN'][0].Plan));
      }
      return found;
    }, ROUTING);
    expect(scans).toEqual([]);
  });

  it("reads a recipient's queue from its floor, past none of the entries routed before it", async () => {
    const to = message(4_000).receivedAt;
    /** The first message due and the buffers its read touched, reading from `from`. */
    const readFrom = (from: string) =>
      db.transaction(async (tx) => {
        const recorder = new RecordingExecutor(tx);
        const due = await messages.dueForInbox(recorder, new Map([['VN.MOFA', { from, to }]]), [], 10);
        const plan = await explainAnalysed(tx, recorder.statements[0]);
        // The queue's own index scan: the messages joined to it cost the same either way.
        return { first: due.get('VN.MOFA')![0].id, buffers: buffersOf(nodeOn(plan, 'routing_queue')!) };
      }, ROUTING);
    // Three thousand messages routed to VN.MOFA: their queue entries stay in the index until a vacuum.
    const routed = await db.query<{ received_at: string; message_id: string }>(
      `SELECT received_at, message_id FROM routing_queue WHERE participant_id = 'VN.MOFA'
       ORDER BY received_at, message_id LIMIT 3000`,
    );
    await db.transaction((tx) =>
      messages.dequeueRouted(
        tx,
        routed.map((r) => ({ messageId: r.message_id, participantId: 'VN.MOFA', receivedAt: r.received_at })),
      ),
    );
    // The first read from the start marks them dead as it passes them; every read walks them still.
    await readFrom('');
    const fromStart = await readFrom('');
    const fromFloor = await readFrom(routed.at(-1)!.received_at);
    expect(fromFloor.first).toBe(fromStart.first);
    // The 3,000 routed entries fill some 35 index pages, which the read from the start walks.
    expect(fromStart.buffers).toBeGreaterThan(30);
    expect(fromFloor.buffers).toBeLessThan(10);
  });
});
