import { toDialect } from './database';

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
