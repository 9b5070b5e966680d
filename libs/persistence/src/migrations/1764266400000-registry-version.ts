import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Throughput. One version token for the whole registry (participants, keys, subscriptions)
 * replaces the subscriptions' counter: every change sets a new random token in its own
 * transaction, and each process reads the registry again only when the token has moved.
 */
export class RegistryVersion1764266400000 implements MigrationInterface {
  name = 'RegistryVersion1764266400000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE TABLE registry_version (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        version TEXT NOT NULL)`,
    );
    await runner.query(`INSERT INTO registry_version (id, version) VALUES (1, 'initial')`);
    await runner.query('DROP TABLE subscriptions_version');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE TABLE subscriptions_version (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        version BIGINT NOT NULL)`,
    );
    await runner.query('INSERT INTO subscriptions_version (id, version) VALUES (1, 0)');
    await runner.query('DROP TABLE registry_version');
  }
}
