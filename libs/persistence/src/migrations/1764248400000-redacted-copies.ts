import { MigrationInterface, QueryRunner } from 'typeorm';

/** A recipient's gateway-signed redacted copy, where the sharing policy strips fields for it. */
export class RedactedCopies1764248400000 implements MigrationInterface {
  name = 'RedactedCopies1764248400000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE inbox_entries ADD COLUMN redacted_jws TEXT NULL');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE inbox_entries DROP COLUMN redacted_jws');
  }
}
