import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Throughput: one outbox entry per batch of messages committed together, instead of one per
 * message. The entry's `message_ids` is a JSON array of the messages it announces.
 *
 * Every accepted message wrote an outbox row with three index entries (its id, its due time,
 * its message), and deleted it again a moment later once the broker confirmed the event: the
 * heaviest of the writes that exist only to be undone. A publish batch of a few hundred
 * messages now writes and deletes one row. Its lease and its retries are the batch's, as they
 * already were: the relay published and deleted a batch's entries together.
 *
 * The index on `message_id` goes with the column. The stalled-delivery sweeper, which used it to
 * leave alone messages whose event still waits in the outbox, now reads the ids the outbox holds.
 */
export class OutboxBatches1764280800000 implements MigrationInterface {
  name = 'OutboxBatches1764280800000';

  async up(runner: QueryRunner): Promise<void> {
    const postgres = runner.connection.options.type === 'postgres';
    await runner.query(`ALTER TABLE outbox ADD COLUMN message_ids TEXT NOT NULL DEFAULT '[]'`);
    await runner.query(
      postgres
        ? `UPDATE outbox SET message_ids = json_build_array(message_id)::text`
        : `UPDATE outbox SET message_ids = json_array(message_id)`,
    );
    if (postgres) await runner.query('ALTER TABLE outbox ALTER COLUMN message_ids DROP DEFAULT');
    await runner.query('DROP INDEX outbox_message');
    await runner.query('ALTER TABLE outbox DROP COLUMN message_id');
  }

  async down(runner: QueryRunner): Promise<void> {
    const postgres = runner.connection.options.type === 'postgres';
    await runner.query(`ALTER TABLE outbox ADD COLUMN message_id TEXT NOT NULL DEFAULT ''`);
    // An entry of many messages becomes one entry per message again, with the same lease.
    await runner.query(
      postgres
        ? `INSERT INTO outbox (message_id, message_ids, pattern, created_at, available_at, attempts)
           SELECT e.id, '[]', o.pattern, o.created_at, o.available_at, o.attempts
           FROM outbox o CROSS JOIN LATERAL json_array_elements_text(o.message_ids::json) AS e(id)
           WHERE o.message_ids <> '[]'`
        : `INSERT INTO outbox (message_id, message_ids, pattern, created_at, available_at, attempts)
           SELECT e.value, '[]', o.pattern, o.created_at, o.available_at, o.attempts
           FROM outbox o, json_each(o.message_ids) AS e
           WHERE o.message_ids <> '[]'`,
    );
    await runner.query(`DELETE FROM outbox WHERE message_ids <> '[]'`);
    if (postgres) await runner.query('ALTER TABLE outbox ALTER COLUMN message_id DROP DEFAULT');
    await runner.query('ALTER TABLE outbox DROP COLUMN message_ids');
    await runner.query('CREATE INDEX outbox_message ON outbox (message_id)');
  }
}
