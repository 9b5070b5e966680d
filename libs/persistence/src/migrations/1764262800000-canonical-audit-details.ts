import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Throughput. Queued audit entries now carry their details in RFC 8785 form, so that the chainer
 * hashes them without parsing them again. Entries queued by an earlier version (during a rolling
 * upgrade, say) are marked as not canonical by the default, and the chainer canonicalizes them.
 */
export class CanonicalAuditDetails1764262800000 implements MigrationInterface {
  name = 'CanonicalAuditDetails1764262800000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE audit_pending ADD COLUMN details_canonical INTEGER NOT NULL DEFAULT 0');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE audit_pending DROP COLUMN details_canonical');
  }
}
