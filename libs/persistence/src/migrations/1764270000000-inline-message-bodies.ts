import { MigrationInterface, QueryRunner } from 'typeorm';

/** The columns that hold a whole JWS: a few KiB of base64url, which compression hardly shrinks. */
const BODIES: [table: string, column: string][] = [
  ['messages', 'jws'],
  ['messages', 'receipt'],
  ['inbox_entries', 'redacted_jws'],
];

/**
 * Throughput (PostgreSQL). A stored message is a little over the 2 KB at which PostgreSQL tries
 * pglz on its largest values and then moves them to the TOAST table: slow compression that fails,
 * then a second table and index to write, and to read back on every pull. Kept in the row
 * instead (STORAGE MAIN, where a value leaves the row only if the row would not fit a page), and
 * tried with lz4 where the server has it. Rows already stored keep their layout.
 */
export class InlineMessageBodies1764270000000 implements MigrationInterface {
  name = 'InlineMessageBodies1764270000000';

  async up(runner: QueryRunner): Promise<void> {
    if (runner.connection.options.type !== 'postgres') return;
    const lz4 = await hasLz4(runner);
    for (const [table, column] of BODIES) {
      await runner.query(`ALTER TABLE ${table} ALTER COLUMN ${column} SET STORAGE MAIN`);
      if (lz4) await runner.query(`ALTER TABLE ${table} ALTER COLUMN ${column} SET COMPRESSION lz4`);
    }
  }

  async down(runner: QueryRunner): Promise<void> {
    if (runner.connection.options.type !== 'postgres') return;
    const lz4 = await hasLz4(runner);
    for (const [table, column] of BODIES) {
      await runner.query(`ALTER TABLE ${table} ALTER COLUMN ${column} SET STORAGE EXTENDED`);
      if (lz4) await runner.query(`ALTER TABLE ${table} ALTER COLUMN ${column} SET COMPRESSION DEFAULT`);
    }
  }
}

export async function hasLz4(runner: QueryRunner): Promise<boolean> {
  const rows = (await runner.query(
    `SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)`,
  )) as unknown[];
  return rows.length > 0;
}
