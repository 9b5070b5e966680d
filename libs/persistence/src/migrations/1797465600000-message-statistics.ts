import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The facts statistics count, written with each accepted message so that a count never reads a
 * payload: one row per recipient of the message (one with no recipient when it has none) and per
 * nationality of the persons it names (one with no nationality when a person has none, or when it
 * names nobody). The `first_*` flags mark the rows that stand for the message when a count does not
 * break down by nationality, by recipient country, or at all (see `StatisticsRepository.count`).
 *
 * Once a month is over, its facts are also summed, a row per distinct set of the other columns
 * (`message_statistics_months`, the months so summed in `message_statistics_compacted`), so that a
 * count over past months reads these sums rather than every message's rows.
 */
export class MessageStatistics1797465600000 implements MigrationInterface {
  name = 'MessageStatistics1797465600000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE TABLE message_statistics (
        message_id TEXT NOT NULL,
        month TEXT NOT NULL,
        type TEXT NOT NULL,
        source TEXT NOT NULL,
        source_country TEXT NOT NULL,
        recipient TEXT,
        recipient_country TEXT,
        nationality TEXT,
        persons INTEGER NOT NULL,
        nationality_persons INTEGER NOT NULL,
        first_nationality INTEGER NOT NULL,
        first_in_country INTEGER NOT NULL,
        first_recipient INTEGER NOT NULL)`,
    );
    // One index only, for every publish writes here: the month. Facts are written in the order
    // of acceptance, so on PostgreSQL a BRIN index (a summary per range of pages, hardly ever
    // written) finds a month's rows; a count, or the forgetting of a message (whose month is
    // known), then filters them (a month is the most either reads).
    await runner.query(
      runner.connection.options.type === 'postgres'
        ? 'CREATE INDEX message_statistics_month ON message_statistics USING brin (month)'
        : 'CREATE INDEX message_statistics_month ON message_statistics (month)',
    );
    await runner.query(
      `CREATE TABLE message_statistics_months (
        month TEXT NOT NULL,
        type TEXT NOT NULL,
        source TEXT NOT NULL,
        source_country TEXT NOT NULL,
        recipient TEXT,
        recipient_country TEXT,
        nationality TEXT,
        first_nationality INTEGER NOT NULL,
        first_in_country INTEGER NOT NULL,
        first_recipient INTEGER NOT NULL,
        messages BIGINT NOT NULL,
        persons BIGINT NOT NULL,
        nationality_persons BIGINT NOT NULL)`,
    );
    await runner.query('CREATE INDEX message_statistics_months_month ON message_statistics_months (month)');
    await runner.query('CREATE TABLE message_statistics_compacted (month TEXT PRIMARY KEY)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE message_statistics_compacted');
    await runner.query('DROP TABLE message_statistics_months');
    await runner.query('DROP TABLE message_statistics');
  }
}
