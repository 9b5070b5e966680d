import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Routing under a long backlog, and on a database whose statistics are missing or stale.
 *
 * Routing found what it still had to write into inboxes through the partial index of pending
 * recipient rows. A pending row stays pending until its webhook endpoint takes the message, so
 * a subscriber whose endpoint was down kept every routing batch for it walking its whole
 * webhook backlog; and marking a pull recipient delivered moved its row out of that index, an
 * update that can never be HOT and leaves a dead index entry behind until the next vacuum.
 *
 * What is still to be written into an inbox now has its own narrow table, one row per recipient
 * a message was accepted for, removed in the transaction that writes the inbox entry. Its key,
 * (recipient, acceptance time, message), is the order routing reads it in. Recipient rows keep
 * their delivery state, without an index on it, so marking them delivered can stay on their
 * page (a HOT update: no new index entry); pages keep room for it.
 */
export class RoutingQueue1764277200000 implements MigrationInterface {
  name = 'RoutingQueue1764277200000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE TABLE routing_queue (
         participant_id TEXT NOT NULL,
         received_at TEXT NOT NULL,
         message_id TEXT NOT NULL,
         PRIMARY KEY (participant_id, received_at, message_id)
       )`,
    );
    await runner.query(
      `INSERT INTO routing_queue (participant_id, received_at, message_id)
       SELECT r.participant_id, r.received_at, r.message_id FROM message_recipients r
       WHERE r.delivery = 'pending'
         AND NOT EXISTS (SELECT 1 FROM inbox_entries e WHERE e.participant_id = r.participant_id AND e.message_id = r.message_id)`,
    );
    await runner.query('DROP INDEX message_recipients_pending_due');
    if (runner.connection.options.type === 'postgres')
      await runner.query('ALTER TABLE message_recipients SET (fillfactor = 85)');
  }

  async down(runner: QueryRunner): Promise<void> {
    if (runner.connection.options.type === 'postgres')
      await runner.query('ALTER TABLE message_recipients RESET (fillfactor)');
    await runner.query(
      `CREATE INDEX message_recipients_pending_due ON message_recipients (participant_id, received_at) WHERE delivery = 'pending'`,
    );
    await runner.query('DROP TABLE routing_queue');
  }
}
