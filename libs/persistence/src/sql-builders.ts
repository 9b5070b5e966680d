import { arrayParam } from './array-param';
import { Executor } from './executor';

/**
 * Items of a multi-row write in runs its dialect can take: all in one on PostgreSQL (one array
 * per column, whatever the count), at most `size` on SQLite (its limit on parameters).
 */
export function writeChunks<T>(ex: Executor, items: readonly T[], size: number): T[][] {
  if (items.length === 0) return [];
  return ex.dialect === 'postgres' ? [[...items]] : chunks(items, size);
}

/** `FOR UPDATE` where the dialect has row locks (SQLite already runs writers one at a time). */
export function forUpdate(ex: Executor, skipLocked = false): string {
  if (ex.dialect === 'sqlite') return '';
  return skipLocked ? ' FOR UPDATE SKIP LOCKED' : ' FOR UPDATE';
}

/** `?, ?, ?` for an IN list. */
export function placeholders(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}

/** `items` in runs of at most `size` (multi-row statements stay under the drivers' parameter limits). */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A column of a batched statement, with the PostgreSQL type of its values. */
export type Column = readonly [name: string, type: 'text' | 'bigint' | 'integer'];

/**
 * A multi-row INSERT of `rows` (values in the order of `columns`), followed by `tail` (ON
 * CONFLICT, RETURNING). On PostgreSQL each column goes as one array through `unnest`, so the
 * text is the same for any number of rows (run it with `PREPARED`); on SQLite, as a VALUES list.
 */
export function insertRows(
  ex: Executor,
  table: string,
  columns: readonly Column[],
  rows: readonly (readonly unknown[])[],
  tail = '',
): { sql: string; params: unknown[] } {
  if (ex.dialect === 'sqlite') {
    const names = columns.map(([name]) => name).join(', ');
    const row = `(${placeholders(columns.length)})`;
    return {
      sql: `INSERT INTO ${table} (${names}) VALUES ${rows.map(() => row).join(', ')}${tail && ` ${tail}`}`,
      params: rows.flat(),
    };
  }
  return insertRowsWhere(table, columns, rows, '', tail);
}

/**
 * `insertRows` on PostgreSQL, of only the rows for which `condition` holds: an SQL condition on
 * the columns by their names, such as `message_id IN (SELECT id FROM stored)` (a write before it
 * in the same `writeTogether`). The text is the same for any number of rows.
 */
export function insertRowsWhere(
  table: string,
  columns: readonly Column[],
  rows: readonly (readonly unknown[])[],
  condition: string,
  tail = '',
): { sql: string; params: unknown[] } {
  const names = columns.map(([name]) => name).join(', ');
  const arrays = columns.map(([, type]) => `?::${type}[]`).join(', ');
  const where = condition === '' ? '' : ` AS r(${names}) WHERE ${condition}`;
  return {
    sql: `INSERT INTO ${table} (${names}) SELECT * FROM unnest(${arrays})${where}${tail && ` ${tail}`}`,
    params: columns.map(([, type], i) =>
      arrayParam(
        rows.map((row) => row[i]),
        type,
      ),
    ),
  };
}

/**
 * `column IN (values)`: on PostgreSQL `column = ANY(?)` with one array, a text of fixed length
 * (run it with `PREPARED`); on SQLite, a list of placeholders.
 */
export function inList(
  ex: Executor,
  column: string,
  values: readonly unknown[],
  type: Column[1] = 'text',
): { sql: string; params: unknown[] } {
  if (ex.dialect === 'sqlite')
    return { sql: `${column} IN (${placeholders(values.length)})`, params: [...values] };
  return { sql: `${column} = ANY(?::${type}[])`, params: [arrayParam(values, type)] };
}
