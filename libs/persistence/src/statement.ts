import { createHash } from 'node:crypto';
import type { PoolClient } from 'pg';
import { QueryRunner } from 'typeorm';
import { DatabaseUnavailableError, isConnectionError } from './database-errors';
import { Dialect, StatementOptions, toDialect } from './executor';

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

/** Runs one statement on `runner`'s connection; a connection lost on the way is `DatabaseUnavailableError`. */
export async function runStatement(
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
