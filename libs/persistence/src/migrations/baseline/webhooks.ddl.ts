import { TableGroup } from './table-group';

/**
 * Webhook delivery: one delivery per (subscription, message), its retry schedule in the
 * database (`next_attempt_at`, so that a broker restart loses no schedule), and every attempt.
 */
export const WEBHOOKS: TableGroup = {
  tables: ['webhook_deliveries', 'webhook_attempts'],
  create: () => [
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
    // A dispatcher reads a subscription's due deliveries in inbox order after every round. Only
    // the pending ones, so that a read does not walk every delivery the subscription ever had.
    `CREATE INDEX webhook_deliveries_subscription_due ON webhook_deliveries (subscription_id, seq) WHERE status = 'pending'`,
    `CREATE TABLE webhook_attempts (
      delivery_id TEXT NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
      attempt INTEGER NOT NULL,
      at TEXT NOT NULL,
      status_code INTEGER NULL,
      latency_ms INTEGER NOT NULL,
      error TEXT NULL,
      PRIMARY KEY (delivery_id, attempt))`,
  ],
};
