import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { TestGateway } from './test-gateway';

/**
 * Tables whose rows may change without anything being accepted: the replay guard records each
 * bearer token's jti even when the request it carried is refused, the audit chainer moves
 * queued entries into the chain in the background (the chain is compared by its length through
 * the API instead), the per-minute counts of refused publishes (a refusal is counted, and
 * nothing else of it is kept), and the migrations table.
 */
const NOT_STATE = new Set([
  'used_token_ids',
  'audit_log',
  'audit_head',
  'audit_pending',
  'audit_queue',
  'refusal_counts',
  'rdx_migrations',
]);

/**
 * A digest of every row of every table that holds what the gateway stored, read straight from
 * its database, so a test can prove that a refusal changed nothing.
 */
export async function storedState(gateway: TestGateway): Promise<Record<string, string>> {
  const url = gateway.env.RDX_DATABASE_URL;
  const state: Record<string, string> = {};
  const digest = (rows: unknown[]) =>
    createHash('sha256')
      .update(
        rows
          .map((row) => JSON.stringify(row))
          .sort()
          .join('\n'),
      )
      .digest('hex');
  if (url.startsWith('sqlite:')) {
    const db = new Database(url.slice('sqlite:'.length), { readonly: true, fileMustExist: true });
    try {
      const tables = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .all() as { name: string }[];
      for (const { name } of tables) {
        if (!NOT_STATE.has(name)) state[name] = digest(db.prepare(`SELECT * FROM "${name}"`).raw().all());
      }
    } finally {
      db.close();
    }
    return state;
  }
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ name: string }>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
    );
    for (const { name } of tables.rows) {
      if (NOT_STATE.has(name)) continue;
      const rows = await client.query({ text: `SELECT * FROM "${name}"`, rowMode: 'array' });
      state[name] = digest(rows.rows);
    }
  } finally {
    await client.end();
  }
  return state;
}
