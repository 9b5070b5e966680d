import { MigrationInterface, QueryRunner } from 'typeorm';

/** Retention: when a message's payload was purged (its row, recipients and audit record stay). */
export class Retention1764244800000 implements MigrationInterface {
  name = 'Retention1764244800000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE messages ADD COLUMN purged_at TEXT NULL');
    await runner.query(
      'CREATE INDEX messages_unpurged ON messages (type, received_at) WHERE purged_at IS NULL',
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX messages_unpurged');
    await runner.query('ALTER TABLE messages DROP COLUMN purged_at');
  }
}
