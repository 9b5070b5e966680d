import { Database, Executor, inList, insertRows, PREPARED } from '@rdx/persistence';
import { openTestDatabase } from '../support/test-database';

/** Values a JWS, a name or a reason may hold, and the edges of the integer columns. */
const ROWS: [string, string | null, bigint | number | null, number | null][] = [
  ['plain', 'eyJhbGciOiJFZERTQSJ9.eyJpZCI6IjEifQ.c2ln', 2n ** 53n + 1n, 2 ** 31 - 1],
  ['quotes', 'x,"y"\\z {}', -(2n ** 63n), -(2 ** 31)],
  ['null-looking', 'NULL', 0, 0],
  ['nulls', null, null, null],
  ['empty', '', 1, 1],
  ['unicode', 'Nguyễn Văn Ánh ✓ ยืนยัน', 42, 7],
];

describe.each(['postgres', 'sqlite'] as const)('array parameters (%s)', (dialect) => {
  let db: Database;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ db, cleanup } = await openTestDatabase(dialect));
    await db.execute(
      'CREATE TABLE array_probe (id TEXT PRIMARY KEY, body TEXT NULL, n BIGINT NULL, k INTEGER NULL)',
    );
  });

  afterAll(async () => {
    await db.close();
    await cleanup();
  });

  const read = async (ex: Executor, ids: string[]) => {
    const match = inList(ex, 'id', ids);
    const rows = await ex.query<{
      id: string;
      body: string | null;
      n: string | number | null;
      k: number | null;
    }>(
      `SELECT id, body, CAST(n AS TEXT) AS n, k FROM array_probe WHERE ${match.sql} ORDER BY id`,
      match.params,
      PREPARED,
    );
    return rows.map((r) => [
      r.id,
      r.body,
      r.n === null ? null : BigInt(r.n),
      r.k === null ? null : Number(r.k),
    ]);
  };

  it('stores every value as it was given, and finds the rows by it', async () => {
    await db.transaction(async (tx) => {
      const { sql, params } = insertRows(
        tx,
        'array_probe',
        [
          ['id', 'text'],
          ['body', 'text'],
          ['n', 'bigint'],
          ['k', 'integer'],
        ],
        ROWS,
        'RETURNING id',
      );
      expect((await tx.query(sql, params, PREPARED)).length).toBe(ROWS.length);
    });
    const want = ROWS.map(([id, body, n, k]) => [id, body, n === null ? null : BigInt(n), k]).sort((a, b) =>
      String(a[0]).localeCompare(String(b[0]), 'en'),
    );
    const got = await read(
      db,
      ROWS.map(([id]) => id),
    );
    expect(got.sort((a, b) => String(a[0]).localeCompare(String(b[0]), 'en'))).toEqual(want);
    // Bodies and integers are found by value too, the awkward ones included.
    const bodies = inList(db, 'body', ['x,"y"\\z {}', 'NULL', 'Nguyễn Văn Ánh ✓ ยืนยัน']);
    const byBody = await db.query<{ id: string }>(
      `SELECT id FROM array_probe WHERE ${bodies.sql} ORDER BY id`,
      bodies.params,
    );
    expect(byBody.map((r) => r.id)).toEqual(['null-looking', 'quotes', 'unicode']);
    const numbers = inList(db, 'n', [2n ** 53n + 1n, -(2n ** 63n)], 'bigint');
    const byNumber = await db.query<{ id: string }>(
      `SELECT id FROM array_probe WHERE ${numbers.sql} ORDER BY id`,
      numbers.params,
    );
    expect(byNumber.map((r) => r.id)).toEqual(['plain', 'quotes']);
    expect(await read(db, [])).toEqual([]);
  });
});
