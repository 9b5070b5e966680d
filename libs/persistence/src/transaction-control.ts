import type { PoolClient, QueryResult } from 'pg';
import { QueryRunner } from 'typeorm';
import { DatabaseUnavailableError } from './database-errors';
import { Dialect, Executor } from './executor';

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

/** A transaction's BEGIN, COMMIT and ROLLBACK on one connection. */
export interface TransactionControl {
  /** The prelude's rows when BEGIN carried it; undefined when it is still to run. */
  begin(options: TransactionOptions): Promise<Record<string, unknown>[] | undefined>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

/**
 * BEGIN, COMMIT and ROLLBACK: TypeORM's on SQLite; on PostgreSQL sent on the connection
 * directly, so that BEGIN carries the transaction's settings and its prelude in the same
 * simple query (whose rows `begin` returns; undefined when the prelude is still to run).
 */
export async function transactionControl(runner: QueryRunner, dialect: Dialect): Promise<TransactionControl> {
  if (dialect === 'sqlite') {
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
