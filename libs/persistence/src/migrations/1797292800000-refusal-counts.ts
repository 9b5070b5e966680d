import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Refused publishes counted per minute, message type, sender country and problem: the gateway
 * stores no refused message, and the console's message flow charts refusals from these counts.
 * One row per (minute, type, country, problem) that saw a refusal, however many it saw.
 */
export class RefusalCounts1797292800000 implements MigrationInterface {
  name = 'RefusalCounts1797292800000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE TABLE refusal_counts (
        minute TEXT NOT NULL,
        type TEXT NOT NULL,
        country TEXT NOT NULL,
        problem TEXT NOT NULL,
        count BIGINT NOT NULL,
        PRIMARY KEY (minute, type, country, problem))`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE refusal_counts');
  }
}
