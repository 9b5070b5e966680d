import { AuditEntry, AuditRepository, Database, Executor } from '@rdx/persistence';
import { buffersOf, explainAnalysed, RecordingExecutor } from '../support/query-plans';
import { openTestDatabase } from '../support/test-database';

const entries = (n: number, action = 'test.queued'): AuditEntry[] =>
  Array.from({ length: n }, (_, i) => ({
    at: new Date().toISOString(),
    actor: 'test',
    action,
    subject: `s-${i}`,
    details: { i },
  }));

describe.each(['postgres', 'sqlite'] as const)('the audit queue read from a bound (%s)', (dialect) => {
  let db: Database;
  let cleanup: () => Promise<void>;
  const audit = new AuditRepository();

  beforeAll(async () => {
    ({ db, cleanup } = await openTestDatabase(dialect));
  });

  afterAll(async () => {
    await db.close();
    await cleanup();
  });

  it('links only what is queued above the bound, and a pass from the start links what appeared below it', async () => {
    await audit.integrateAll(db);
    const before = await audit.length(db);
    // Five acts, the third of three entries: a queued row each.
    for (const n of [1, 1, 3, 1, 1]) await db.transaction((tx) => audit.append(tx, entries(n)));
    const first = await audit.link(db, { after: 0, limit: 3 });
    expect(first).toMatchObject({ linked: 5, rows: 3 });
    const rest = await audit.link(db, { after: first!.lastId, limit: 3 });
    expect(rest).toEqual({ linked: 2, rows: 2, lastId: first!.lastId + 2 });

    // An act that took its queue id before the others and committed after they were linked.
    const late = {
      at: new Date().toISOString(),
      actor: 'test',
      action: 'test.late',
      subject: 's-late',
      details: null,
    };
    await db.execute('INSERT INTO audit_pending (id, entries) VALUES (?, ?)', [
      rest!.lastId - 1,
      JSON.stringify([late, { ...late, subject: 's-late-2' }]),
    ]);
    expect(await audit.link(db, { after: rest!.lastId, limit: 3 })).toEqual({
      linked: 0,
      rows: 0,
      lastId: rest!.lastId,
    });
    expect(await audit.link(db, { after: 0, limit: 3 })).toEqual({
      linked: 2,
      rows: 1,
      lastId: rest!.lastId - 1,
    });

    const items = await audit.page(db, before, 10);
    expect(items.map((item) => item.action)).toEqual([
      ...Array(7).fill('test.queued'),
      'test.late',
      'test.late',
    ]);
    expect(items.map((item) => item.subject)).toEqual([
      's-0',
      's-0',
      's-0',
      's-1',
      's-2',
      's-0',
      's-0',
      's-late',
      's-late-2',
    ]);
    expect(items.map((item) => item.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => before + n));
  });
});

describe('the audit queue on PostgreSQL, never vacuumed', () => {
  let db: Database;
  let cleanup: () => Promise<void>;
  const audit = new AuditRepository();

  beforeAll(async () => {
    ({ db, cleanup } = await openTestDatabase('postgres'));
  });

  afterAll(async () => {
    await db.close();
    await cleanup();
  });

  const rollBack = new Error('roll back');
  /** Runs `work` in a transaction and rolls it back. */
  const rolledBack = async <T>(work: (tx: Executor) => Promise<T>): Promise<T> => {
    let result: T | undefined;
    await expect(
      db.transaction(async (tx) => {
        result = await work(tx);
        throw rollBack;
      }),
    ).rejects.toBe(rollBack);
    return result!;
  };

  /** Buffers the chainer's take (its own statement, rolled back) touches, reading from `after`. */
  const buffersRead = async (after: number): Promise<number> => {
    const statements = await rolledBack(async (tx) => {
      const recorder = new RecordingExecutor(tx);
      await audit.linkWithin(recorder, { after, limit: 1_000 });
      return recorder.statements;
    });
    const take = statements.find((s) => s.sql.startsWith('DELETE FROM audit_pending'))!;
    return rolledBack(async (tx) => buffersOf(await explainAnalysed(tx, take)));
  };

  it('reads from the bound past none of the entries it linked and deleted before', async () => {
    // Forty thousand acts queued, linked and deleted: their index entries stay until a vacuum.
    const act = JSON.stringify([
      { at: new Date().toISOString(), actor: 'test', action: 'test.history', subject: 's', details: null },
    ]);
    let lastId = 0;
    for (let round = 0; round < 40; round++) {
      await db.execute('INSERT INTO audit_pending (entries) SELECT ? FROM generate_series(1, 1000)', [act]);
      lastId = (await audit.link(db, { after: lastId, limit: 1_000 }))!.lastId;
    }
    for (let i = 0; i < 10; i++) await db.transaction((tx) => audit.append(tx, entries(1)));

    const fromStart = await buffersRead(0);
    const fromBound = await buffersRead(lastId);
    // The walk from the start visits the index pages of every deleted entry (marked dead by the
    // recorded pass before it, so this is what every later read pays), and grows with them.
    expect(fromStart).toBeGreaterThan(100);
    expect(fromBound).toBeLessThan(60);
    expect(await audit.link(db, { after: lastId, limit: 1_000 })).toEqual({
      linked: 10,
      rows: 10,
      lastId: lastId + 10,
    });
  });
});
