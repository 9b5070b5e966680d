import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A dispatcher reads a subscription's due deliveries in inbox order after every round
 * (`WebhookDeliveriesRepository.dueOf`, and the claim's test for any). No index held the pending
 * deliveries by subscription: PostgreSQL, without fresh statistics, read them through the
 * unique (subscription, message) index, every delivery the subscription ever had, so each round
 * cost more than the last (2,600 index entries a read after three minutes at 300 messages a
 * second). This one holds only the pending deliveries, by subscription and in inbox order.
 */
export class DueDeliveriesBySubscription1764295200000 implements MigrationInterface {
  name = 'DueDeliveriesBySubscription1764295200000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE INDEX webhook_deliveries_subscription_due ON webhook_deliveries (subscription_id, seq) WHERE status = 'pending'`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX webhook_deliveries_subscription_due');
  }
}
