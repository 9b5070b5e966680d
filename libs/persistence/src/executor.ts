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
