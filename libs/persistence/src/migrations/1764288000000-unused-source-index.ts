import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Throughput: every stored message wrote an entry into `messages_source` (sender, acceptance
 * time), an index no statement reads: nothing looks messages up by sender (the audit record
 * says who sent what: `message.accepted`, its actor the sender), and participants are never
 * deleted, so no foreign key check needs it either. A feature that lists a sender's messages
 * would bring back the index it needs with it.
 */
export class UnusedSourceIndex1764288000000 implements MigrationInterface {
  name = 'UnusedSourceIndex1764288000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX messages_source');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('CREATE INDEX messages_source ON messages (source, received_at)');
  }
}
