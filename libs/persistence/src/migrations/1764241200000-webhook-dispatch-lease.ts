import { MigrationInterface, QueryRunner } from 'typeorm';

/** One worker at a time sends a subscription's deliveries, so they leave in order: it leases the subscription. */
export class WebhookDispatchLease1764241200000 implements MigrationInterface {
  name = 'WebhookDispatchLease1764241200000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE subscriptions ADD COLUMN dispatch_lease_until TEXT NULL');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE subscriptions DROP COLUMN dispatch_lease_until');
  }
}
