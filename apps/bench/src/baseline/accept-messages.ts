import { Pool } from 'pg';
import { ConfirmPublisher } from './confirm-publisher';
import { TickBatcher } from './tick-batcher';

/** A verified message waiting for its batch. */
export interface Submission {
  id: string;
  source: string;
  type: string;
  jws: string;
  receivedAt: string;
}

/**
 * How a submission ended: `accepted` once stored and confirmed by the broker (also for the same
 * bytes posted again), `conflict` for other bytes under a stored id, `unavailable` when the
 * database or the broker failed (nothing is promised), `overloaded` when too much is waiting.
 */
export type Outcome = 'accepted' | 'conflict' | 'unavailable' | 'overloaded';

interface Waiting extends Submission {
  settle: (outcome: Outcome) => void;
}

const MAX_BATCH = 500;
const MAX_FLUSHES_IN_FLIGHT = 4;
// Past this many waiting submissions the database or broker is not keeping up; refuse fast.
const MAX_WAITING = 20_000;

// unnest keeps the statement text constant, so it is prepared once per connection and never
// approaches PostgreSQL's 65,535 bind-parameter limit whatever the batch size.
const INSERT_MESSAGES = `INSERT INTO baseline_messages (id, source, type, jws, received_at)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
  ON CONFLICT (id) DO NOTHING RETURNING id`;
const SELECT_STORED = 'SELECT id, jws FROM baseline_messages WHERE id = ANY($1::text[])';

/** Stores and enqueues verified messages, one INSERT and one confirm wait per batch. */
export class AcceptMessages {
  private readonly batcher = new TickBatcher<Waiting>(
    (batch) => this.flush(batch),
    MAX_BATCH,
    MAX_FLUSHES_IN_FLIGHT,
  );
  private waiting = 0;

  constructor(
    private readonly pool: Pool,
    private readonly publisher: ConfirmPublisher,
  ) {}

  submit(submission: Submission): Promise<Outcome> {
    if (this.waiting >= MAX_WAITING) return Promise.resolve('overloaded');
    this.waiting++;
    return new Promise((resolve) => this.batcher.add({ ...submission, settle: resolve }));
  }

  /** Resolves once every submission so far has its outcome. */
  drain(): Promise<void> {
    return this.batcher.drain();
  }

  private async flush(batch: Waiting[]): Promise<void> {
    let outcomes: Outcome[];
    try {
      outcomes = await this.storeAndPublish(batch);
    } catch (error) {
      console.error('baseline: batch refused with 503:', error instanceof Error ? error.message : error);
      outcomes = batch.map(() => 'unavailable');
    }
    this.waiting -= batch.length;
    batch.forEach((submission, i) => submission.settle(outcomes[i]));
  }

  /**
   * Commits the batch (one autocommitted statement), then publishes every stored message whose
   * bytes match. An id that was already stored with the same bytes is published again: without an
   * outbox the api cannot know whether the earlier attempt reached the broker (it may have been
   * answered 503 after its commit), and the worker's insert is idempotent.
   */
  private async storeAndPublish(batch: Waiting[]): Promise<Outcome[]> {
    const firsts = new Map<string, Waiting>();
    for (const submission of batch) if (!firsts.has(submission.id)) firsts.set(submission.id, submission);
    const inserted = await this.insert([...firsts.values()]);
    const storedJws = await this.storedJws(firsts, inserted);
    const toPublish = [...firsts.values()].filter((first) => storedJws.get(first.id) === first.jws);
    await Promise.all(toPublish.map((message) => this.publisher.publish(announcement(message))));
    return batch.map((submission) =>
      storedJws.get(submission.id) === submission.jws ? 'accepted' : 'conflict',
    );
  }

  private async insert(messages: Waiting[]): Promise<Set<string>> {
    const result = await this.pool.query<{ id: string }>({
      name: 'baseline-insert-messages',
      text: INSERT_MESSAGES,
      values: [
        messages.map((m) => m.id),
        messages.map((m) => m.source),
        messages.map((m) => m.type),
        messages.map((m) => m.jws),
        messages.map((m) => m.receivedAt),
      ],
    });
    return new Set(result.rows.map((row) => row.id));
  }

  /** The stored bytes of every id in the batch; only ids that were already stored cost a read. */
  private async storedJws(firsts: Map<string, Waiting>, inserted: Set<string>): Promise<Map<string, string>> {
    const stored = new Map<string, string>();
    const alreadyStored: string[] = [];
    for (const [id, first] of firsts) {
      if (inserted.has(id)) stored.set(id, first.jws);
      else alreadyStored.push(id);
    }
    if (alreadyStored.length === 0) return stored;
    const result = await this.pool.query<{ id: string; jws: string }>(SELECT_STORED, [alreadyStored]);
    for (const row of result.rows) stored.set(row.id, row.jws);
    return stored;
  }
}

/** What the worker needs to route a message; the JWS itself stays in the database. */
function announcement(message: Submission): Buffer {
  const { id, source, type, receivedAt } = message;
  return Buffer.from(JSON.stringify({ id, source, type, receivedAt }));
}
