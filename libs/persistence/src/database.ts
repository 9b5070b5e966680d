import { createHash } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { PoolClient, QueryResult } from 'pg';
import { DataSource, QueryRunner } from 'typeorm';

export type Dialect = 'postgres' | 'sqlite';

export interface StatementOptions {
  /**
   * The text is the same on every call from this place (no lists that grow with the data): on
   * PostgreSQL it is parsed once per connection and its plan may be kept. `insertRows` and
   * `inList` build such texts.
   */
  prepare?: boolean;
}

/** Something that runs SQL: the database itself or an open transaction. SQL uses `?` placeholders. */
export interface Executor {
  readonly dialect: Dialect;
  /** Rows of a SELECT or of a statement with RETURNING. */
  query<T = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
    options?: StatementOptions,
  ): Promise<T[]>;
  /** Number of rows a statement changed. */
  execute(sql: string, params?: readonly unknown[], options?: StatementOptions): Promise<number>;
}

/** Shorthand for the options of a statement of fixed text. */
export const PREPARED: StatementOptions = { prepare: true };

/** The database cannot be reached: the API answers 503 and accepts nothing. */
export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError';
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  '57P01',
  '57P02',
  '57P03',
]);

function isConnectionError(error: unknown): boolean {
  const code =
    (error as { code?: unknown; driverError?: { code?: unknown } }).driverError?.code ??
    (error as { code?: unknown }).code;
  if (typeof code === 'string' && (CONNECTION_CODES.has(code) || code.startsWith('08'))) return true;
  const message = (error as Error).message ?? '';
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable/i.test(
    message,
  );
}

/** Turns `?` placeholders into PostgreSQL's `$1, $2, ...`. RDX's SQL never has `?` inside a literal. */
export function toDialect(dialect: Dialect, sql: string): string {
  if (dialect === 'sqlite') return sql;
  // A scan, not a regular expression with a callback: batched statements have thousands of `?`.
  let out = '';
  let n = 0;
  let from = 0;
  for (let at = sql.indexOf('?'); at !== -1; at = sql.indexOf('?', from)) {
    out += `${sql.slice(from, at)}$${++n}`;
    from = at + 1;
  }
  return out + sql.slice(from);
}

/** A lock that runs its holders one at a time, in order. */
class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work, work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/** The database each open transaction runs on (`databaseOf`). */
const transactionsOn = new WeakMap<Executor, Database>();

/** The database `ex` is, or runs a transaction of. */
export function databaseOf(ex: Executor): Database | undefined {
  return ex instanceof Database ? ex : transactionsOn.get(ex);
}

/** Prepared statements by SQL text: their PostgreSQL text and name (the same in every process). */
const prepared = new Map<string, { text: string; name: string }>();

function preparedStatement(sql: string): { text: string; name: string } {
  let statement = prepared.get(sql);
  if (statement === undefined) {
    const text = toDialect('postgres', sql);
    statement = { text, name: `rdx_${createHash('sha256').update(text).digest('hex').slice(0, 24)}` };
    prepared.set(sql, statement);
  }
  return statement;
}

async function run(
  runner: QueryRunner,
  dialect: Dialect,
  sql: string,
  params: readonly unknown[],
  options: StatementOptions = {},
): Promise<{ records: unknown[]; affected: number }> {
  try {
    if (dialect === 'sqlite') {
      const result = await runner.query(sql, [...params], true);
      return { records: result.records ?? [], affected: result.affected ?? 0 };
    }
    // node-postgres directly: TypeORM's query wrapper adds nothing RDX uses, and cannot prepare.
    const client = (await runner.connect()) as PoolClient;
    const result = await client.query(
      options.prepare === true
        ? { ...preparedStatement(sql), values: [...params] }
        : { text: toDialect(dialect, sql), values: [...params] },
    );
    return { records: result.rows, affected: result.rowCount ?? 0 };
  } catch (error) {
    if (isConnectionError(error)) throw new DatabaseUnavailableError((error as Error).message);
    throw error;
  }
}

/**
 * The one door to SQL: PostgreSQL in production, SQLite (better-sqlite3) embedded.
 * SQLite has one connection, so every statement and transaction there takes turns.
 */
export class Database implements Executor {
  private readonly logger = new Logger('Database');
  private readonly sqliteTurns = new Mutex();
  /** When each PostgreSQL connection's plans were last made anew (first seen, or `DISCARD PLANS`). */
  private readonly plansMadeAt = new WeakMap<PoolClient, number>();
  private readonly replanAfterMs: number;
  private readonly clock: () => number;
  readonly dialect: Dialect;

  constructor(
    readonly dataSource: DataSource,
    options: DatabaseOptions = {},
  ) {
    this.dialect = dataSource.options.type === 'postgres' ? 'postgres' : 'sqlite';
    this.replanAfterMs = options.replanAfterMs ?? REPLAN_AFTER_MS;
    this.clock = options.clock ?? Date.now;
  }

  async query<T = Record<string, unknown>>(
    sql: string,
    params: readonly unknown[] = [],
    options?: StatementOptions,
  ): Promise<T[]> {
    return this.withRunner(
      async (runner) => (await run(runner, this.dialect, sql, params, options)).records as T[],
    );
  }

  async execute(sql: string, params: readonly unknown[] = [], options?: StatementOptions): Promise<number> {
    return this.withRunner(
      async (runner) => (await run(runner, this.dialect, sql, params, options)).affected,
    );
  }

  /**
   * Runs `work` in one transaction: all of it commits, or none of it. On PostgreSQL the
   * transaction's settings (`options`) go with its BEGIN, one round trip for both.
   */
  async transaction<T>(work: (tx: Executor) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    return this.withRunner(async (runner) => {
      const control = await this.transactionControl(runner);
      const tx: Executor = {
        dialect: this.dialect,
        query: async <R>(sql: string, params: readonly unknown[] = [], options?: StatementOptions) =>
          (await run(runner, this.dialect, sql, params, options)).records as R[],
        execute: async (sql: string, params: readonly unknown[] = [], options?: StatementOptions) =>
          (await run(runner, this.dialect, sql, params, options)).affected,
      };
      transactionsOn.set(tx, this);
      try {
        const prelude = await control.begin(options);
        if (options.prelude !== undefined)
          options.prelude.read(tx, prelude ?? (await tx.query(options.prelude.sql)));
      } catch (error) {
        await control.rollback().catch(() => undefined);
        if (isConnectionError(error)) throw new DatabaseUnavailableError((error as Error).message);
        throw error;
      }
      try {
        const result = await work(tx);
        await control.commit();
        return result;
      } catch (error) {
        await control.rollback().catch((rollbackError: unknown) => {
          this.logger.warn(`rollback failed: ${(rollbackError as Error).message}`);
        });
        if (isConnectionError(error)) throw new DatabaseUnavailableError((error as Error).message);
        throw error;
      }
    });
  }

  /**
   * BEGIN, COMMIT and ROLLBACK: TypeORM's on SQLite; on PostgreSQL sent on the connection
   * directly, so that BEGIN carries the transaction's settings and its prelude in the same
   * simple query (whose rows `begin` returns; undefined when the prelude is still to run).
   */
  private async transactionControl(runner: QueryRunner): Promise<{
    begin(options: TransactionOptions): Promise<Record<string, unknown>[] | undefined>;
    commit(): Promise<void>;
    rollback(): Promise<void>;
  }> {
    if (this.dialect === 'sqlite') {
      return {
        begin: async () => {
          await runner.startTransaction();
          return undefined;
        },
        commit: () => runner.commitTransaction(),
        rollback: () => runner.rollbackTransaction(),
      };
    }
    let client: PoolClient;
    try {
      client = (await runner.connect()) as PoolClient;
    } catch (error) {
      throw new DatabaseUnavailableError((error as Error).message);
    }
    return {
      begin: async (options) => {
        const statements = ['BEGIN'];
        if (options.planByKeys === true) statements.push(PLAN_BY_KEYS);
        if (options.prelude !== undefined) statements.push(options.prelude.sql);
        // Several statements answer with a result each; the prelude's is the last.
        const results = (await client.query(statements.join('; '))) as QueryResult | QueryResult[];
        return options.prelude === undefined
          ? undefined
          : (Array.isArray(results) ? results.at(-1)! : results).rows;
      },
      commit: async () => {
        await client.query('COMMIT');
      },
      rollback: async () => {
        await client.query('ROLLBACK');
      },
    };
  }

  /** Fails unless the database answers now. */
  async ping(): Promise<void> {
    await this.query('SELECT 1 AS ok');
  }

  async close(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }

  private async withRunner<T>(work: (runner: QueryRunner) => Promise<T>): Promise<T> {
    if (this.dialect === 'sqlite') {
      return this.sqliteTurns.run(() => work(this.dataSource.createQueryRunner()));
    }
    let runner: QueryRunner;
    try {
      runner = this.dataSource.createQueryRunner();
      await runner.connect();
    } catch (error) {
      throw new DatabaseUnavailableError((error as Error).message);
    }
    try {
      await this.plansUpToDate(runner);
      return await work(runner);
    } finally {
      await runner.release();
    }
  }

  /**
   * Drops a connection's cached plans once they are `replanAfterMs` old. PostgreSQL keeps the
   * generic plan of a prepared statement for the connection's life, and never replans it as the
   * tables grow unless ANALYZE runs: a plan chosen while a table held a few rows (a new
   * deployment, the first minutes of a bench, autovacuum off or behind) can read a participant's
   * whole inbox to find three entries, and goes on doing so. `DISCARD PLANS` keeps the prepared
   * statements (node-postgres still knows them by name) and lets each be planned again against
   * the tables as they are now.
   */
  private async plansUpToDate(runner: QueryRunner): Promise<void> {
    const client = (await runner.connect()) as PoolClient;
    const now = this.clock();
    const madeAt = this.plansMadeAt.get(client);
    if (madeAt === undefined) {
      this.plansMadeAt.set(client, now);
    } else if (now - madeAt >= this.replanAfterMs) {
      await run(runner, this.dialect, 'DISCARD PLANS', []);
      this.plansMadeAt.set(client, now);
    }
  }
}

/** How old a connection's cached plans may grow before they are made again (`Database.plansUpToDate`). */
const REPLAN_AFTER_MS = 60_000;

export interface DatabaseOptions {
  /** Plans older than this are dropped when their connection is next taken; default one minute. */
  replanAfterMs?: number;
  /** Milliseconds since the epoch; tests move it on. */
  clock?: () => number;
}

/** How a transaction runs (`Database.transaction`). */
export interface TransactionOptions {
  /**
   * PostgreSQL plans every statement of the transaction through indexes, one key at a time: no
   * sequential or bitmap scans. For transactions made only of lookups by key (routing, webhook
   * dispatch), whose right plan never depends on how big a table is: without statistics (a fresh
   * database, autovacuum behind or off) the planner can take a lookup of a few rows for a scan
   * of the whole table, and a bitmap scan, unlike an index scan, never marks the entries of
   * deleted rows dead, so it visits them again each time until the next vacuum.
   */
  planByKeys?: boolean;
  /** A read the transaction starts with, sent with its BEGIN on PostgreSQL. */
  prelude?: Prelude;
}

/**
 * A read without parameters that a transaction starts with (the registry's version, say): on
 * PostgreSQL in the same round trip as its BEGIN. `read` gets its rows before the work runs.
 */
export interface Prelude {
  sql: string;
  read(tx: Executor, rows: Record<string, unknown>[]): void;
}

const PLAN_BY_KEYS = 'SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off';

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

/** The element types of array parameters, and their PostgreSQL type oids and sizes. */
const ELEMENTS = {
  text: { oid: 25, size: 0 },
  bigint: { oid: 20, size: 8 },
  integer: { oid: 23, size: 4 },
} as const;

/**
 * An array parameter for PostgreSQL (`?::text[]`, `?::bigint[]`, ...), in the protocol's binary
 * format: node-postgres sends a Buffer as it is, and PostgreSQL copies each element by its
 * length. The same array as a text literal (`{"a","b"}`) cost PostgreSQL a parse of every
 * character (`array_in` was its costliest function under load, on columns of JWS), and the
 * literal's quoting a regular expression per element here.
 *
 * `type` must be the array type the SQL casts the parameter to: PostgreSQL decodes it as that.
 * Elements are strings, numbers, bigints, or null and undefined (NULL).
 * @example
 * await tx.query('SELECT id FROM messages WHERE id = ANY(?::text[])', [arrayParam(ids)]);
 */
export function arrayParam(values: readonly unknown[], type: Column[1] = 'text'): Buffer {
  const { oid, size } = ELEMENTS[type];
  const text: (string | null)[] = [];
  let bytes = 20;
  let hasNull = 0;
  for (const value of values) {
    if (value === null || value === undefined) {
      text.push(null);
      hasNull = 1;
      bytes += 4;
      continue;
    }
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'bigint')
      throw new TypeError(`an array parameter holds a ${typeof value}`);
    const element = String(value);
    text.push(element);
    bytes += 4 + (size === 0 ? Buffer.byteLength(element, 'utf8') : size);
  }
  // Header: dimensions, whether there are NULLs, element type; then the one dimension's length
  // and lower bound. Each element: its length in bytes (-1 for NULL), then the bytes.
  const out = Buffer.allocUnsafe(bytes);
  out.writeInt32BE(1, 0);
  out.writeInt32BE(hasNull, 4);
  out.writeUInt32BE(oid, 8);
  out.writeInt32BE(values.length, 12);
  out.writeInt32BE(1, 16);
  let at = 20;
  for (const element of text) {
    if (element === null) {
      at = out.writeInt32BE(-1, at);
    } else if (size === 0) {
      const length = out.write(element, at + 4, 'utf8');
      out.writeInt32BE(length, at);
      at += 4 + length;
    } else {
      at = out.writeInt32BE(size, at);
      at =
        size === 8
          ? out.writeBigInt64BE(integerOf(element, 64), at)
          : out.writeInt32BE(Number(integerOf(element, 32)), at);
    }
  }
  return out;
}

/** An integer element of `bits` bits, refused (TypeError) when it is not one. */
function integerOf(element: string, bits: 32 | 64): bigint {
  const value = /^-?\d+$/.test(element) ? BigInt(element) : undefined;
  if (value === undefined || BigInt.asIntN(bits, value) !== value)
    throw new TypeError(`"${element}" is not a ${bits}-bit integer`);
  return value;
}
