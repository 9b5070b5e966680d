import type { Database } from './database';
import { Executor } from './executor';

/** A write statement, built and not yet run (`?` placeholders, as everywhere in RDX). */
export interface Write {
  sql: string;
  params: unknown[];
  /** Its text is the same on every call from its place (see `StatementOptions.prepare`). */
  prepare?: boolean;
  /**
   * The name the writes after it read its `RETURNING` rows by (`writeTogether`, PostgreSQL):
   * `WHERE id IN (SELECT id FROM <name>)`. Without it, `w1`, `w2`, ...
   */
  name?: string;
}

/**
 * Runs writes of one transaction that need nothing from one another: each on its own table, or
 * at least on rows no other one touches. On PostgreSQL they go as one statement,
 * `WITH w1 AS (...), w2 AS (...) <the last>`, one round trip instead of one each (every
 * sub-statement sees the same snapshot, and foreign keys are checked at its end); on SQLite, one
 * after the other. Returns the rows the last one returns (its `RETURNING`).
 * @example
 * await writeTogether(tx, [...inbox.insertNumberedWrites(tx, entries, at), ...audit.appendWrites(tx, acts)]);
 */
export async function writeTogether<T = Record<string, unknown>>(
  ex: Executor,
  writes: readonly Write[],
): Promise<T[]> {
  if (writes.length === 0) return [];
  const prepare = writes.every((w) => w.prepare === true);
  if (ex.dialect === 'sqlite' || writes.length === 1) {
    let rows: T[] = [];
    for (const w of writes) rows = await ex.query<T>(w.sql, w.params, { prepare: w.prepare });
    return rows;
  }
  const last = writes.length - 1;
  const sql = `WITH ${writes
    .slice(0, last)
    .map((w, i) => `${w.name ?? `w${i + 1}`} AS (${w.sql})`)
    .join(', ')} ${writes[last].sql}`;
  return ex.query<T>(
    sql,
    writes.flatMap((w) => w.params),
    { prepare },
  );
}

/**
 * Writes that must all happen or none, and need nothing else of a transaction: on PostgreSQL
 * `writeTogether`'s one statement, atomic by itself (no BEGIN or COMMIT to wait for); on SQLite,
 * in a transaction of their own. Returns the rows the last one returns.
 */
export async function writeAtomically<T = Record<string, unknown>>(
  db: Database,
  writes: readonly Write[],
): Promise<T[]> {
  if (db.dialect === 'postgres') return writeTogether<T>(db, writes);
  return db.transaction((tx) => writeTogether<T>(tx, writes));
}
