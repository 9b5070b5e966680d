import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Throughput: a participant's inbox counter is created with the participant, rather than by
 * routing, which made sure of every recipient's counter in each batch before it locked them:
 * a statement per batch for what happens once per participant. Participants registered before
 * get theirs now. (Routing still creates a counter it finds missing.)
 */
export class CountersWithParticipants1764291600000 implements MigrationInterface {
  name = 'CountersWithParticipants1764291600000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `INSERT INTO inbox_counters (participant_id, last_seq)
       SELECT p.id, 0 FROM participants p
       WHERE NOT EXISTS (SELECT 1 FROM inbox_counters c WHERE c.participant_id = p.id)`,
    );
  }

  async down(): Promise<void> {
    // Nothing to undo: a counter at 0 is what routing would have created on the first message.
  }
}
