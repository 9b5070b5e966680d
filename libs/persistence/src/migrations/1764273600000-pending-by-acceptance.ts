import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Throughput under a backlog. Routing asks, for each recipient, for its pending messages accepted
 * up to a moment. With pending rows indexed by recipient alone, that read every pending row of
 * the recipient, the whole backlog, for every batch: the further the worker fell behind, the
 * slower it went. Each recipient row now carries its message's acceptance time, and the pending
 * ones are indexed by recipient and that time, so a batch reads only what it routes.
 *
 * PostgreSQL's sample of a table where a message has one row per recipient can leave it
 * believing that a message has thousands: it then scans rather than use the primary key.
 * A message has a handful of recipients; the planner is told so (ten rows per message).
 */
export class PendingByAcceptance1764273600000 implements MigrationInterface {
  name = 'PendingByAcceptance1764273600000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE message_recipients ADD COLUMN received_at TEXT NULL');
    await runner.query(
      `UPDATE message_recipients SET received_at =
         (SELECT m.received_at FROM messages m WHERE m.id = message_recipients.message_id)`,
    );
    if (runner.connection.options.type === 'postgres') {
      await runner.query('ALTER TABLE message_recipients ALTER COLUMN received_at SET NOT NULL');
      await runner.query('ALTER TABLE message_recipients ALTER COLUMN message_id SET (n_distinct = -0.1)');
    }
    await runner.query('DROP INDEX message_recipients_pending_participant');
    await runner.query(
      `CREATE INDEX message_recipients_pending_due ON message_recipients (participant_id, received_at) WHERE delivery = 'pending'`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    if (runner.connection.options.type === 'postgres')
      await runner.query('ALTER TABLE message_recipients ALTER COLUMN message_id RESET (n_distinct)');
    await runner.query('DROP INDEX message_recipients_pending_due');
    await runner.query(
      `CREATE INDEX message_recipients_pending_participant ON message_recipients (participant_id) WHERE delivery = 'pending'`,
    );
    await runner.query('ALTER TABLE message_recipients DROP COLUMN received_at');
  }
}
