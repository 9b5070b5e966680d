import { TableGroup } from './table-group';

/**
 * The registry: participants, their signing keys, and their subscriptions (who receives what).
 * Every process keeps it in memory and reads it again only when `registry_version` has moved:
 * each change sets a new random token there, in the change's own transaction.
 */
export const REGISTRY: TableGroup = {
  tables: ['participants', 'participant_keys', 'subscriptions', 'subscription_types', 'registry_version'],
  create: () => [
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
    // A webhook subscription signs with its secret, and with the previous one until it expires
    // (a rotation). One worker at a time sends a subscription's deliveries, so that they leave in
    // order: it leases the subscription (`dispatch_lease_until`).
    `CREATE TABLE subscriptions (
      id TEXT PRIMARY KEY,
      participant_id TEXT NOT NULL REFERENCES participants (id),
      types TEXT NOT NULL,
      filter_sources TEXT NULL,
      purpose TEXT NULL,
      delivery_mode TEXT NOT NULL,
      webhook_url TEXT NULL,
      created_at TEXT NOT NULL,
      status TEXT NOT NULL DEFAULT 'active',
      disabled_reason TEXT NULL,
      webhook_secret TEXT NULL,
      previous_webhook_secret TEXT NULL,
      previous_secret_expires_at TEXT NULL,
      dispatch_lease_until TEXT NULL)`,
    `CREATE INDEX subscriptions_participant ON subscriptions (participant_id)`,
    `CREATE TABLE subscription_types (
      subscription_id TEXT NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
      type TEXT NOT NULL,
      PRIMARY KEY (type, subscription_id))`,
    `CREATE TABLE registry_version (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      version TEXT NOT NULL)`,
    `INSERT INTO registry_version (id, version) VALUES (1, 'initial')`,
  ],
};
