import { MigrationInterface, QueryRunner } from 'typeorm';
import { hasLz4 } from './1764270000000-inline-message-bodies';

/**
 * Throughput: an act's audit entries are queued as one row (`entries`, a JSON array), instead of
 * a row each. Every accepted message queued an entry, and every delivery another, each a row
 * and an index entry written and then deleted again by the chainer a moment later; a batch of a
 * few hundred of them is now one row. The chainer links a row's entries in their order, and
 * rows in queue order, as it did the rows.
 *
 * An element of `entries`: `{at, actor, action, subject, details}`, `details` the RFC 8785 text
 * of the details or null. Entries queued before this migration keep their place in the queue,
 * one row each, marked `"canonical": false` where their details were not in that form yet.
 */
export class AuditQueueBatches1764284400000 implements MigrationInterface {
  name = 'AuditQueueBatches1764284400000';

  async up(runner: QueryRunner): Promise<void> {
    const postgres = runner.connection.options.type === 'postgres';
    await runner.query(
      `CREATE TABLE audit_queue (
        id ${postgres ? 'BIGSERIAL PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT'},
        entries TEXT NOT NULL)`,
    );
    // Ids given in the old queue's order keep the chain's order for what was waiting.
    await runner.query(
      postgres
        ? `INSERT INTO audit_queue (entries)
           SELECT json_build_array(json_build_object('at', at, 'actor', actor, 'action', action,
             'subject', subject, 'details', details, 'canonical', details_canonical = 1))::text
           FROM audit_pending ORDER BY id`
        : `INSERT INTO audit_queue (entries)
           SELECT json_array(json_object('at', at, 'actor', actor, 'action', action,
             'subject', subject, 'details', details, 'canonical', json(iif(details_canonical = 1, 'true', 'false'))))
           FROM audit_pending ORDER BY id`,
    );
    await runner.query('DROP TABLE audit_pending');
    await runner.query('ALTER TABLE audit_queue RENAME TO audit_pending');
    if (postgres && (await hasLz4(runner)))
      await runner.query('ALTER TABLE audit_pending ALTER COLUMN entries SET COMPRESSION lz4');
  }

  async down(runner: QueryRunner): Promise<void> {
    const postgres = runner.connection.options.type === 'postgres';
    await runner.query('ALTER TABLE audit_pending RENAME TO audit_queue');
    await runner.query(
      `CREATE TABLE audit_pending (
        id ${postgres ? 'BIGSERIAL PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT'},
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        subject TEXT NOT NULL,
        details TEXT NULL,
        details_canonical INTEGER NOT NULL DEFAULT 0)`,
    );
    await runner.query(
      postgres
        ? `INSERT INTO audit_pending (at, actor, action, subject, details, details_canonical)
           SELECT e.v->>'at', e.v->>'actor', e.v->>'action', e.v->>'subject', e.v->>'details',
             CASE WHEN e.v->>'canonical' = 'false' THEN 0 ELSE 1 END
           FROM audit_queue q CROSS JOIN LATERAL json_array_elements(q.entries::json) WITH ORDINALITY AS e(v, n)
           ORDER BY q.id, e.n`
        : `INSERT INTO audit_pending (at, actor, action, subject, details, details_canonical)
           SELECT json_extract(e.value, '$.at'), json_extract(e.value, '$.actor'),
             json_extract(e.value, '$.action'), json_extract(e.value, '$.subject'),
             json_extract(e.value, '$.details'),
             CASE WHEN json_extract(e.value, '$.canonical') = 0 THEN 0 ELSE 1 END
           FROM audit_queue q, json_each(q.entries) AS e
           ORDER BY q.id, e.key`,
    );
    await runner.query('DROP TABLE audit_queue');
  }
}
