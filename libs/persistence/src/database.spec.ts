import { arrayParam } from './array-param';
import { Executor, toDialect } from './executor';
import { inList, insertRows } from './sql-builders';

/** Reads back a one-dimensional array parameter in PostgreSQL's binary format (array_recv's reading). */
function decode(param: unknown): {
  oid: number;
  hasNull: number;
  elements: (string | bigint | number | null)[];
} {
  const buffer = param as Buffer;
  expect(Buffer.isBuffer(buffer)).toBe(true);
  expect(buffer.readInt32BE(0)).toBe(1);
  expect(buffer.readInt32BE(16)).toBe(1);
  const oid = buffer.readUInt32BE(8);
  const elements: (string | bigint | number | null)[] = [];
  let at = 20;
  for (let i = 0; i < buffer.readInt32BE(12); i++) {
    const length = buffer.readInt32BE(at);
    at += 4;
    if (length === -1) elements.push(null);
    else if (oid === 20) elements.push(buffer.readBigInt64BE(at));
    else if (oid === 23) elements.push(buffer.readInt32BE(at));
    else elements.push(buffer.toString('utf8', at, at + length));
    at += Math.max(length, 0);
  }
  expect(at).toBe(buffer.length);
  return { oid, hasNull: buffer.readInt32BE(4), elements };
}

const on = (dialect: Executor['dialect']) => ({ dialect }) as Executor;

describe('toDialect', () => {
  it('numbers the placeholders for PostgreSQL, in order, and leaves SQLite its own', () => {
    const sql = 'INSERT INTO t (a, b) VALUES (?, ?), (?, ?) RETURNING a';
    expect(toDialect('postgres', sql)).toBe('INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4) RETURNING a');
    expect(toDialect('sqlite', sql)).toBe(sql);
    expect(toDialect('postgres', 'SELECT 1')).toBe('SELECT 1');
    expect(toDialect('postgres', '?')).toBe('$1');
    const many = Array.from({ length: 2000 }, () => '?').join(',');
    expect(toDialect('postgres', many).split(',').at(-1)).toBe('$2000');
  });
});

describe('arrayParam', () => {
  it('sends text elements as they are, by their length in UTF-8 bytes, with NULLs marked', () => {
    expect(decode(arrayParam([]))).toEqual({ oid: 25, hasNull: 0, elements: [] });
    const awkward = ['a', 'NULL', null, undefined, 7, 'x,"y"\\z', '{}', '', 'Nguyễn Văn Ánh ✓'];
    expect(decode(arrayParam(awkward))).toEqual({
      oid: 25,
      hasNull: 1,
      elements: ['a', 'NULL', null, null, '7', 'x,"y"\\z', '{}', '', 'Nguyễn Văn Ánh ✓'],
    });
  });

  it('sends bigint and integer elements as 8 and 4 bytes, and refuses what is not one', () => {
    const big = 2n ** 53n + 1n;
    expect(decode(arrayParam([1, '42', big, null, -7], 'bigint'))).toEqual({
      oid: 20,
      hasNull: 1,
      elements: [1n, 42n, big, null, -7n],
    });
    expect(decode(arrayParam([0, 2 ** 31 - 1, '-3'], 'integer'))).toEqual({
      oid: 23,
      hasNull: 0,
      elements: [0, 2 ** 31 - 1, -3],
    });
    expect(() => arrayParam([2 ** 31], 'integer')).toThrow(TypeError);
    expect(() => arrayParam([2n ** 63n], 'bigint')).toThrow(TypeError);
    expect(() => arrayParam(['1.5'], 'bigint')).toThrow(TypeError);
    expect(() => arrayParam([{}])).toThrow(TypeError);
  });
});

describe('batched statements', () => {
  const rows = [
    ['a', 1],
    ['b', null],
  ];

  it('insert any number of rows with one text on PostgreSQL, one array per column', () => {
    const one = insertRows(
      on('postgres'),
      't',
      [
        ['id', 'text'],
        ['n', 'bigint'],
      ],
      rows.slice(0, 1),
      'RETURNING id',
    );
    const two = insertRows(
      on('postgres'),
      't',
      [
        ['id', 'text'],
        ['n', 'bigint'],
      ],
      rows,
      'RETURNING id',
    );
    expect(two.sql).toBe('INSERT INTO t (id, n) SELECT * FROM unnest(?::text[], ?::bigint[]) RETURNING id');
    expect(one.sql).toBe(two.sql);
    expect(two.params.map(decode).map((p) => p.elements)).toEqual([
      ['a', 'b'],
      [1n, null],
    ]);
  });

  it('insert a VALUES list on SQLite', () => {
    expect(
      insertRows(
        on('sqlite'),
        't',
        [
          ['id', 'text'],
          ['n', 'bigint'],
        ],
        rows,
      ),
    ).toEqual({
      sql: 'INSERT INTO t (id, n) VALUES (?, ?), (?, ?)',
      params: ['a', 1, 'b', null],
    });
  });

  it('match a list with one array on PostgreSQL and a list of placeholders on SQLite', () => {
    const text = inList(on('postgres'), 'r.id', ['x', 'y']);
    expect(text.sql).toBe('r.id = ANY(?::text[])');
    expect(decode(text.params[0])).toEqual({ oid: 25, hasNull: 0, elements: ['x', 'y'] });
    const numbers = inList(on('postgres'), 'id', [1], 'bigint');
    expect(numbers.sql).toBe('id = ANY(?::bigint[])');
    expect(decode(numbers.params[0])).toEqual({ oid: 20, hasNull: 0, elements: [1n] });
    expect(inList(on('sqlite'), 'r.id', ['x', 'y'])).toEqual({ sql: 'r.id IN (?, ?)', params: ['x', 'y'] });
  });
});
