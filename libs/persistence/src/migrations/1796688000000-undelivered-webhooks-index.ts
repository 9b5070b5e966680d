import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The webhook deliveries not delivered (pending, retrying, failed), by subscription: what
 * `/metrics` counts at every scrape. Delivered ones, nearly all of the table, stay out of it, so
 * the count reads only the index, however many deliveries the gateway ever made.
 */
export class UndeliveredWebhooksIndex1796688000000 implements MigrationInterface {
  name = 'UndeliveredWebhooksIndex1796688000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE INDEX webhook_deliveries_undelivered
         ON webhook_deliveries (subscription_id, participant_id, status, attempts) WHERE status <> 'delivered'`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX webhook_deliveries_undelivered');
  }
}
