import { MigrationInterface, QueryRunner } from 'typeorm';

/** Indexes for finding deliveries that wait with no outbox event left to carry them. */
export class StalledDeliveries1764234000000 implements MigrationInterface {
  name = 'StalledDeliveries1764234000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE INDEX message_recipients_pending ON message_recipients (message_id) WHERE delivery = 'pending'`,
    );
    await runner.query(`CREATE INDEX outbox_message ON outbox (message_id)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX outbox_message');
    await runner.query('DROP INDEX message_recipients_pending');
  }
}
