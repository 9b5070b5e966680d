import { Logger } from '@nestjs/common';
import { DataSource, QueryRunner } from 'typeorm';
import { DatabaseUnavailableError, isConnectionError } from './database-errors';
import { Dialect, Executor, StatementOptions } from './executor';
import { PlanRefresh, REPLAN_AFTER_MS } from './plan-refresh';
import { runStatement } from './statement';
import { transactionControl, TransactionOptions } from './transaction-control';

/** A lock that runs its holders one at a time, in order. */
class Mutex {
  private tail: Promise<unknown> = Promise.resolve();
  /** Holders running or waiting their turn. */
  queued = 0;

  run<T>(work: () => Promise<T>): Promise<T> {
    this.queued++;
    const result = this.tail.then(work, work).finally(() => this.queued--);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/** The connections of the database's pool, for `/metrics`. */
export interface PoolState {
  total: number;
  idle: number;
  /** Statements and transactions waiting for a connection. */
  waiting: number;
}

/** The database each open transaction runs on (`databaseOf`). */
const transactionsOn = new WeakMap<Executor, Database>();

/** The database `ex` is, or runs a transaction of. */
export function databaseOf(ex: Executor): Database | undefined {
  return ex instanceof Database ? ex : transactionsOn.get(ex);
}

/**
 * The one door to SQL: PostgreSQL in production, SQLite (better-sqlite3) embedded.
 * SQLite has one connection, so every statement and transaction there takes turns.
 */
export class Database implements Executor {
  private readonly logger = new Logger('Database');
  private readonly sqliteTurns = new Mutex();
  private readonly plans: PlanRefresh;
  readonly dialect: Dialect;

  constructor(
    readonly dataSource: DataSource,
    options: DatabaseOptions = {},
  ) {
    this.dialect = dataSource.options.type === 'postgres' ? 'postgres' : 'sqlite';
    this.plans = new PlanRefresh(options.replanAfterMs ?? REPLAN_AFTER_MS, options.clock ?? Date.now);
  }

  async query<T = Record<string, unknown>>(
    sql: string,
    params: readonly unknown[] = [],
    options?: StatementOptions,
  ): Promise<T[]> {
    return this.withRunner(
      async (runner) => (await runStatement(runner, this.dialect, sql, params, options)).records as T[],
    );
  }

  async execute(sql: string, params: readonly unknown[] = [], options?: StatementOptions): Promise<number> {
    return this.withRunner(
      async (runner) => (await runStatement(runner, this.dialect, sql, params, options)).affected,
    );
  }

  /**
   * Runs `work` in one transaction: all of it commits, or none of it. On PostgreSQL the
   * transaction's settings (`options`) go with its BEGIN, one round trip for both.
   */
  async transaction<T>(work: (tx: Executor) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    return this.withRunner(async (runner) => {
      const control = await transactionControl(runner, this.dialect);
      const tx: Executor = {
        dialect: this.dialect,
        query: async <R>(sql: string, params: readonly unknown[] = [], options?: StatementOptions) =>
          (await runStatement(runner, this.dialect, sql, params, options)).records as R[],
        execute: async (sql: string, params: readonly unknown[] = [], options?: StatementOptions) =>
          (await runStatement(runner, this.dialect, sql, params, options)).affected,
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

  /** Fails unless the database answers now. */
  async ping(): Promise<void> {
    await this.query('SELECT 1 AS ok');
  }

  /** The pool's connections now: PostgreSQL's pool, or SQLite's one connection and the turns waiting for it. */
  poolState(): PoolState {
    if (this.dialect === 'sqlite') {
      const queued = this.sqliteTurns.queued;
      return { total: 1, idle: queued === 0 ? 1 : 0, waiting: Math.max(0, queued - 1) };
    }
    // TypeORM's PostgreSQL driver keeps its pg Pool as `master`.
    const pool = (this.dataSource.driver as unknown as { master?: Partial<PgPoolCounts> }).master;
    return { total: pool?.totalCount ?? 0, idle: pool?.idleCount ?? 0, waiting: pool?.waitingCount ?? 0 };
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
      await this.plans.plansUpToDate(runner);
      return await work(runner);
    } finally {
      await runner.release();
    }
  }
}

interface PgPoolCounts {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

export interface DatabaseOptions {
  /** Plans older than this are dropped when their connection is next taken; default one minute. */
  replanAfterMs?: number;
  /** Milliseconds since the epoch; tests move it on. */
  clock?: () => number;
}
