import { TableGroup } from './table-group';

/**
 * Credentials: operators' admin tokens (their hashes), the ids of the tokens participants sent
 * (each is accepted once while it is valid), and the public keys of every gateway instance.
 */
export const CREDENTIALS: TableGroup = {
  tables: ['used_token_ids', 'admin_tokens', 'gateway_keys'],
  create: () => [
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
    `CREATE TABLE gateway_keys (
      kid TEXT PRIMARY KEY,
      jwk TEXT NOT NULL,
      created_at TEXT NOT NULL)`,
  ],
};
