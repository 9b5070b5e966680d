import { autoId, lz4, TableGroup } from './table-group';

/**
 * The append-only, hash-chained audit record. An act writes its entries, in its own
 * transaction, to `audit_pending`, a queue that takes no lock; one chainer at a time links them
 * into `audit_log`, holding `audit_head`, so that the chain has one order.
 */
export const AUDIT: TableGroup = {
  tables: ['audit_log', 'audit_head', 'audit_pending'],
  create: (target) => [
    `CREATE TABLE audit_log (
      seq BIGINT PRIMARY KEY,
      at TEXT NOT NULL,
      actor TEXT NOT NULL,
      action TEXT NOT NULL,
      subject TEXT NOT NULL,
      details TEXT NULL,
      prev_hash TEXT NOT NULL,
      hash TEXT NOT NULL)`,
    // One row: the head of the chain, from its start.
    `CREATE TABLE audit_head (
      id INTEGER PRIMARY KEY,
      seq BIGINT NOT NULL,
      hash TEXT NOT NULL)`,
    `INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '${'0'.repeat(64)}')`,
    // A row per act (or a few, for a very large one): `entries`, a JSON array of
    // `{at, actor, action, subject, details}`, `details` already in RFC 8785 form so that the
    // chainer hashes it without parsing it again.
    `CREATE TABLE audit_pending (
      id ${autoId(target)},
      entries TEXT NOT NULL)`,
    ...lz4(target, 'audit_pending', 'entries'),
  ],
};
