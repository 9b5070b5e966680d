// The baseline: the whole schema, made in one migration on an empty database. Never edit it.
// A database it has already made would not follow the edit: a later change to the schema is a
// migration of its own, after this one, with its `down`.
import { MigrationInterface, QueryRunner } from 'typeorm';
import { AUDIT } from './baseline/audit.ddl';
import { CREDENTIALS } from './baseline/credentials.ddl';
import { EXCHANGE } from './baseline/exchange.ddl';
import { REGISTRY } from './baseline/registry.ddl';
import { Target } from './baseline/table-group';
import { WEBHOOKS } from './baseline/webhooks.ddl';

/** In the order they are created: a group's foreign keys point only at groups before it. */
const GROUPS = [REGISTRY, CREDENTIALS, EXCHANGE, WEBHOOKS, AUDIT];

/**
 * RDX's tables on PostgreSQL and SQLite. Times are ISO 8601 UTC strings with milliseconds: they
 * sort as text, round-trip exactly, and read the same on both.
 */
export class Baseline1796601600000 implements MigrationInterface {
  name = 'Baseline1796601600000';

  async up(runner: QueryRunner): Promise<void> {
    const postgres = runner.connection.options.type === 'postgres';
    const target: Target = { postgres, lz4: postgres && (await hasLz4(runner)) };
    for (const group of GROUPS) for (const statement of group.create(target)) await runner.query(statement);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const group of [...GROUPS].reverse())
      for (const table of [...group.tables].reverse()) await runner.query(`DROP TABLE ${table}`);
  }
}

/** Whether the PostgreSQL server was built with lz4. */
async function hasLz4(runner: QueryRunner): Promise<boolean> {
  const rows = (await runner.query(
    `SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)`,
  )) as unknown[];
  return rows.length > 0;
}
