/** What the baseline's DDL depends on in the database it runs on. */
export interface Target {
  postgres: boolean;
  /** The PostgreSQL server can compress TOASTed values with lz4 (built with it). */
  lz4: boolean;
}

/** Tables that serve one concern, with their indexes and first rows. */
export interface TableGroup {
  /** The statements that create them, in order. */
  create(target: Target): string[];
  /** Their names, in the order they are created (and dropped in reverse). */
  tables: readonly string[];
}

/** `BIGSERIAL` on PostgreSQL; on SQLite AUTOINCREMENT, so that an id is never given out twice. */
export function autoId(target: Target): string {
  return target.postgres ? 'BIGSERIAL PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT';
}

/**
 * A column that holds a whole JWS (a few KiB of base64url, which compression hardly shrinks),
 * kept in its row on PostgreSQL: a stored message is a little over the 2 KB at which PostgreSQL
 * would try pglz on it and then move it to the TOAST table, a second table and index to write,
 * and to read back on every pull. STORAGE MAIN moves a value out only if its row would not fit a
 * page, and lz4, where the server has it, is the cheaper try.
 */
export function inlineBody(target: Target, table: string, column: string): string[] {
  if (!target.postgres) return [];
  return [`ALTER TABLE ${table} ALTER COLUMN ${column} SET STORAGE MAIN`, ...lz4(target, table, column)];
}

/** lz4 for a column's large values, where the PostgreSQL server has it. */
export function lz4(target: Target, table: string, column: string): string[] {
  return target.lz4 ? [`ALTER TABLE ${table} ALTER COLUMN ${column} SET COMPRESSION lz4`] : [];
}
