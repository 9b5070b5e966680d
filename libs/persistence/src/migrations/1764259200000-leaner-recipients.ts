import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Throughput. Every recipient row was written into four indexes, and its move to `delivered`
 * into two. Two of them served no query: nothing looks recipients up by participant alone
 * (routing uses the partial index of pending rows), and the pending rows of given messages are
 * found through the primary key, which starts with `message_id`.
 */
export class LeanerRecipients1764259200000 implements MigrationInterface {
  name = 'LeanerRecipients1764259200000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX message_recipients_participant');
    await runner.query('DROP INDEX message_recipients_pending');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE INDEX message_recipients_pending ON message_recipients (message_id) WHERE delivery = 'pending'`,
    );
    await runner.query('CREATE INDEX message_recipients_participant ON message_recipients (participant_id)');
  }
}
