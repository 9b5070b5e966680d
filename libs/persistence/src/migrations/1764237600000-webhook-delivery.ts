import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook delivery: a subscription's signing secrets and state, one delivery per (subscription,
 * message) with its retry schedule in the database (`next_attempt_at`, so a broker restart
 * loses no schedule), and every attempt recorded.
 */
export class WebhookDelivery1764237600000 implements MigrationInterface {
  name = 'WebhookDelivery1764237600000';

  async up(runner: QueryRunner): Promise<void> {
    const statements = [
      `ALTER TABLE subscriptions ADD COLUMN status TEXT NOT NULL DEFAULT 'active'`,
      `ALTER TABLE subscriptions ADD COLUMN disabled_reason TEXT NULL`,
      `ALTER TABLE subscriptions ADD COLUMN webhook_secret TEXT NULL`,
      `ALTER TABLE subscriptions ADD COLUMN previous_webhook_secret TEXT NULL`,
      `ALTER TABLE subscriptions ADD COLUMN previous_secret_expires_at TEXT NULL`,
      `CREATE TABLE webhook_deliveries (
        id TEXT PRIMARY KEY,
        subscription_id TEXT NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
        participant_id TEXT NOT NULL REFERENCES participants (id),
        message_id TEXT NOT NULL REFERENCES messages (id),
        seq BIGINT NOT NULL,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        lease_until TEXT NULL,
        last_status_code INTEGER NULL,
        last_error TEXT NULL,
        created_at TEXT NOT NULL,
        delivered_at TEXT NULL,
        failed_at TEXT NULL,
        UNIQUE (subscription_id, message_id))`,
      `CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending'`,
      `CREATE INDEX webhook_deliveries_participant ON webhook_deliveries (participant_id, status, created_at)`,
      `CREATE INDEX webhook_deliveries_message ON webhook_deliveries (message_id, participant_id)`,
      `CREATE TABLE webhook_attempts (
        delivery_id TEXT NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
        attempt INTEGER NOT NULL,
        at TEXT NOT NULL,
        status_code INTEGER NULL,
        latency_ms INTEGER NOT NULL,
        error TEXT NULL,
        PRIMARY KEY (delivery_id, attempt))`,
    ];
    for (const statement of statements) await runner.query(statement);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE webhook_attempts');
    await runner.query('DROP TABLE webhook_deliveries');
    for (const column of [
      'previous_secret_expires_at',
      'previous_webhook_secret',
      'webhook_secret',
      'disabled_reason',
      'status',
    ]) {
      await runner.query(`ALTER TABLE subscriptions DROP COLUMN ${column}`);
    }
  }
}
