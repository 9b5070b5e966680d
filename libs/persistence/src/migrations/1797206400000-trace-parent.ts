import { MigrationInterface, QueryRunner } from 'typeorm';

/** The tables whose rows carry a trace context, and why. */
const TRACED = [
  // The message's commit span: where the outbox sweeper's re-publication joins its trace.
  'messages',
  // The routing span that made the delivery: the parent of each webhook attempt, however late.
  'webhook_deliveries',
];

/**
 * A nullable W3C `traceparent` on messages and webhook deliveries, written only while
 * OpenTelemetry tracing is on (NULL otherwise, and in every row made before): work that
 * another process picks up from the database later still joins the message's trace.
 */
export class TraceParent1797206400000 implements MigrationInterface {
  name = 'TraceParent1797206400000';

  async up(runner: QueryRunner): Promise<void> {
    for (const table of TRACED) await runner.query(`ALTER TABLE ${table} ADD COLUMN trace_parent TEXT NULL`);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of [...TRACED].reverse())
      await runner.query(`ALTER TABLE ${table} DROP COLUMN trace_parent`);
  }
}
