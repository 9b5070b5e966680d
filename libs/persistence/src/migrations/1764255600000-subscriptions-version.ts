import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Throughput. Every change to who receives what (a subscription created, deleted or disabled)
 * raises one version number, in the change's own transaction, so a process can keep the active
 * subscriptions in memory and read them again only when the version it reads has moved.
 */
export class SubscriptionsVersion1764255600000 implements MigrationInterface {
  name = 'SubscriptionsVersion1764255600000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE TABLE subscriptions_version (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        version BIGINT NOT NULL)`,
    );
    await runner.query('INSERT INTO subscriptions_version (id, version) VALUES (1, 0)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE subscriptions_version');
  }
}
