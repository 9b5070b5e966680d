import { autoId, inlineBody, TableGroup } from './table-group';

/**
 * The exchange: stored messages, their recipients, each recipient's numbered inbox, and the two
 * queues between acceptance and the inboxes (`outbox` towards the broker, `routing_queue`
 * towards the inboxes).
 */
export const EXCHANGE: TableGroup = {
  tables: ['messages', 'message_recipients', 'inbox_counters', 'inbox_entries', 'routing_queue', 'outbox'],
  create: (target) => [
    // `purged_at`: when retention removed the payload (the row, its recipients and its audit
    // record stay). `source` has no index: nothing looks messages up by sender, and participants
    // are never deleted, so no foreign key check needs one either.
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
      receipt TEXT NOT NULL,
      purged_at TEXT NULL)`,
    `CREATE INDEX messages_unpurged ON messages (type, received_at) WHERE purged_at IS NULL`,
    ...inlineBody(target, 'messages', 'jws'),
    ...inlineBody(target, 'messages', 'receipt'),
    // A recipient's delivery state, with no index on it: marking a recipient delivered can then
    // stay on the row's page (a HOT update, no new index entry), and pages keep room for it.
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
      received_at TEXT NOT NULL,
      PRIMARY KEY (message_id, participant_id))${target.postgres ? ' WITH (fillfactor = 85)' : ''}`,
    // PostgreSQL's sample of a table with one row per recipient can leave it believing that a
    // message has thousands, and it then scans rather than use the primary key. A message has a
    // handful of recipients: the planner is told ten rows per message.
    ...(target.postgres
      ? ['ALTER TABLE message_recipients ALTER COLUMN message_id SET (n_distinct = -0.1)']
      : []),
    // A participant's counter is created with the participant; routing locks it to number entries.
    `CREATE TABLE inbox_counters (
      participant_id TEXT PRIMARY KEY REFERENCES participants (id),
      last_seq BIGINT NOT NULL)`,
    // `redacted_jws`: the recipient's gateway-signed copy, where the sharing policy strips fields for it.
    `CREATE TABLE inbox_entries (
      participant_id TEXT NOT NULL REFERENCES participants (id),
      seq BIGINT NOT NULL,
      message_id TEXT NOT NULL REFERENCES messages (id),
      created_at TEXT NOT NULL,
      redacted_jws TEXT NULL,
      PRIMARY KEY (participant_id, seq),
      UNIQUE (participant_id, message_id))`,
    ...inlineBody(target, 'inbox_entries', 'redacted_jws'),
    // What is still to be written into an inbox: one narrow row per recipient a message was
    // accepted for, deleted in the transaction that writes the inbox entry. Its key is the order
    // routing reads it in, so a batch reads only what it routes, however long the backlog.
    `CREATE TABLE routing_queue (
      participant_id TEXT NOT NULL,
      received_at TEXT NOT NULL,
      message_id TEXT NOT NULL,
      PRIMARY KEY (participant_id, received_at, message_id))`,
    // One entry per batch of messages committed together (`message_ids`, a JSON array): its
    // event, to publish to the broker once the batch commits, with its lease and retries.
    `CREATE TABLE outbox (
      id ${autoId(target)},
      pattern TEXT NOT NULL,
      created_at TEXT NOT NULL,
      available_at TEXT NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0,
      message_ids TEXT NOT NULL)`,
    `CREATE INDEX outbox_available ON outbox (available_at)`,
  ],
};
