import { arrayLiteral, Executor, inList, insertRows, toDialect } from './database';

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

describe('arrayLiteral', () => {
  it('quotes every element and escapes only quotes and backslashes', () => {
    expect(arrayLiteral([])).toBe('{}');
    expect(arrayLiteral(['a', 'NULL', null, undefined, 7, 'x,"y"\\z', '{}'])).toBe(
      '{"a","NULL",NULL,NULL,"7","x,\\"y\\"\\\\z","{}"}',
    );
    expect(() => arrayLiteral([{}])).toThrow(TypeError);
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
    expect(two.params).toEqual(['{"a","b"}', '{"1",NULL}']);
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
    expect(inList(on('postgres'), 'r.id', ['x', 'y'])).toEqual({
      sql: 'r.id = ANY(?::text[])',
      params: ['{"x","y"}'],
    });
    expect(inList(on('postgres'), 'id', [1], 'bigint')).toEqual({
      sql: 'id = ANY(?::bigint[])',
      params: ['{"1"}'],
    });
    expect(inList(on('sqlite'), 'r.id', ['x', 'y'])).toEqual({ sql: 'r.id IN (?, ?)', params: ['x', 'y'] });
  });
});
