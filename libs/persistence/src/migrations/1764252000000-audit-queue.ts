import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Throughput. Audit entries are written, in the transaction of the act they record, to a queue
 * that needs no lock; one chainer at a time links them into the hash chain. Routing finds a
 * recipient's pending messages without reading its whole history.
 */
export class AuditQueue1764252000000 implements MigrationInterface {
  name = 'AuditQueue1764252000000';

  async up(runner: QueryRunner): Promise<void> {
    const autoId =
      runner.connection.options.type === 'postgres'
        ? 'BIGSERIAL PRIMARY KEY'
        : 'INTEGER PRIMARY KEY AUTOINCREMENT';
    await runner.query(
      `CREATE TABLE audit_pending (
        id ${autoId},
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        subject TEXT NOT NULL,
        details TEXT NULL)`,
    );
    await runner.query(
      `CREATE INDEX message_recipients_pending_participant ON message_recipients (participant_id) WHERE delivery = 'pending'`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX message_recipients_pending_participant');
    await runner.query('DROP TABLE audit_pending');
  }
}
