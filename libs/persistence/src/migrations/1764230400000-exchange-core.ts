import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The exchange core. Times are ISO 8601 UTC strings with milliseconds: they sort as text,
 * round-trip exactly, and read the same on PostgreSQL and SQLite.
 */
export class ExchangeCore1764230400000 implements MigrationInterface {
  name = 'ExchangeCore1764230400000';

  async up(runner: QueryRunner): Promise<void> {
    const postgres = runner.connection.options.type === 'postgres';
    const autoId = postgres ? 'BIGSERIAL PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT';
    const statements = [
      `CREATE TABLE participants (
        id TEXT PRIMARY KEY,
        country TEXT NOT NULL,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        contact TEXT NULL,
        status TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL)`,
      `CREATE INDEX participants_country ON participants (country)`,
      `CREATE TABLE participant_keys (
        kid TEXT PRIMARY KEY,
        participant_id TEXT NOT NULL REFERENCES participants (id),
        alg TEXT NOT NULL,
        jwk TEXT NOT NULL,
        status TEXT NOT NULL,
        not_before TEXT NULL,
        not_after TEXT NULL,
        created_at TEXT NOT NULL,
        retired_at TEXT NULL,
        revoked_at TEXT NULL,
        revocation_reason TEXT NULL)`,
      `CREATE INDEX participant_keys_participant ON participant_keys (participant_id)`,
      `CREATE TABLE messages (
        id TEXT PRIMARY KEY,
        source TEXT NOT NULL REFERENCES participants (id),
        type TEXT NOT NULL,
        kid TEXT NOT NULL,
        tlp TEXT NOT NULL,
        digest TEXT NOT NULL,
        jws TEXT NOT NULL,
        received_at TEXT NOT NULL,
        withheld TEXT NOT NULL,
        receipt TEXT NOT NULL)`,
      `CREATE INDEX messages_source ON messages (source, received_at)`,
      `CREATE TABLE message_recipients (
        message_id TEXT NOT NULL REFERENCES messages (id),
        participant_id TEXT NOT NULL REFERENCES participants (id),
        position INTEGER NOT NULL,
        delivery TEXT NOT NULL,
        delivered_at TEXT NULL,
        ack_status TEXT NULL,
        ack_at TEXT NULL,
        ack_reason TEXT NULL,
        ack_jws TEXT NULL,
        PRIMARY KEY (message_id, participant_id))`,
      `CREATE INDEX message_recipients_participant ON message_recipients (participant_id)`,
      `CREATE TABLE outbox (
        id ${autoId},
        message_id TEXT NOT NULL,
        pattern TEXT NOT NULL,
        created_at TEXT NOT NULL,
        available_at TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0)`,
      `CREATE INDEX outbox_available ON outbox (available_at)`,
      `CREATE TABLE inbox_counters (
        participant_id TEXT PRIMARY KEY REFERENCES participants (id),
        last_seq BIGINT NOT NULL)`,
      `CREATE TABLE inbox_entries (
        participant_id TEXT NOT NULL REFERENCES participants (id),
        seq BIGINT NOT NULL,
        message_id TEXT NOT NULL REFERENCES messages (id),
        created_at TEXT NOT NULL,
        PRIMARY KEY (participant_id, seq),
        UNIQUE (participant_id, message_id))`,
      `CREATE TABLE subscriptions (
        id TEXT PRIMARY KEY,
        participant_id TEXT NOT NULL REFERENCES participants (id),
        types TEXT NOT NULL,
        filter_sources TEXT NULL,
        purpose TEXT NULL,
        delivery_mode TEXT NOT NULL,
        webhook_url TEXT NULL,
        created_at TEXT NOT NULL)`,
      `CREATE INDEX subscriptions_participant ON subscriptions (participant_id)`,
      `CREATE TABLE subscription_types (
        subscription_id TEXT NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
        type TEXT NOT NULL,
        PRIMARY KEY (type, subscription_id))`,
      `CREATE TABLE used_token_ids (
        participant_id TEXT NOT NULL,
        jti TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        PRIMARY KEY (participant_id, jti))`,
      `CREATE INDEX used_token_ids_expiry ON used_token_ids (expires_at)`,
      `CREATE TABLE admin_tokens (
        id TEXT PRIMARY KEY,
        token_hash TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL,
        country TEXT NULL,
        expires_at TEXT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL)`,
      `CREATE TABLE audit_log (
        seq BIGINT PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        subject TEXT NOT NULL,
        details TEXT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL)`,
      // One row: the head of the hash chain. Appenders lock it, so the chain has one order.
      `CREATE TABLE audit_head (
        id INTEGER PRIMARY KEY,
        seq BIGINT NOT NULL,
        hash TEXT NOT NULL)`,
      `INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '${'0'.repeat(64)}')`,
      `CREATE TABLE gateway_keys (
        kid TEXT PRIMARY KEY,
        jwk TEXT NOT NULL,
        created_at TEXT NOT NULL)`,
    ];
    for (const statement of statements) await runner.query(statement);
  }

  async down(runner: QueryRunner): Promise<void> {
    const tables = [
      'gateway_keys',
      'audit_head',
      'audit_log',
      'admin_tokens',
      'used_token_ids',
      'subscription_types',
      'subscriptions',
      'inbox_entries',
      'inbox_counters',
      'outbox',
      'message_recipients',
      'messages',
      'participant_keys',
      'participants',
    ];
    for (const table of tables) await runner.query(`DROP TABLE ${table}`);
  }
}
