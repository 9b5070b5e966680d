import { Pool } from 'pg';

// Arbitrary, fixed: the api and the worker may start together, and two concurrent
// CREATE TABLE IF NOT EXISTS can still collide on the catalogue's unique index.
const SCHEMA_LOCK = 7_266_190_001;

/** Creates the two baseline tables if missing; safe to run from both roles at once. */
export async function ensureSchema(pool: Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS baseline_messages (
      id text PRIMARY KEY, source text NOT NULL, type text NOT NULL, jws text NOT NULL, received_at text NOT NULL)`);
    await client.query(`CREATE TABLE IF NOT EXISTS baseline_inbox (
      participant_id text NOT NULL, message_id text NOT NULL, created_at text NOT NULL,
      PRIMARY KEY (participant_id, message_id))`);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** A pool that logs idle-client errors instead of crashing the process on them. */
export function createPool(connectionString: string, max: number): Pool {
  const pool = new Pool({ connectionString, max });
  pool.on('error', (error) => console.error('baseline: idle PostgreSQL client failed:', error.message));
  return pool;
}
