import { arrayParam } from '../array-param';
import { Executor, PREPARED } from '../executor';
import { chunks, forUpdate, inList, placeholders } from '../sql-builders';
import { Write, writeTogether } from '../writes';

export interface OutboxEntry {
  id: number;
  /** The messages the entry announces: those of one batch, committed together. */
  messageIds: string[];
  pattern: string;
  attempts: number;
}

/** Messages one entry announces at most: the relay publishes an entry's events together. */
export const MAX_MESSAGES_PER_ENTRY = 500;

/** An entry announces 1 to `MAX_MESSAGES_PER_ENTRY` messages: the caller chunks them. */
function requireEntrySize(messageIds: readonly string[]): void {
  if (messageIds.length === 0 || messageIds.length > MAX_MESSAGES_PER_ENTRY)
    throw new RangeError(`an outbox entry announces 1 to ${MAX_MESSAGES_PER_ENTRY} messages`);
}

/** The ids of outbox entries, from the rows `addWrite` returns. */
export function entryIds(rows: readonly Record<string, unknown>[]): number[] {
  return rows.map((row) => Number(row.id));
}

/**
 * Events written in the same transaction as what they announce, published to the broker
 * afterwards: one entry per batch of messages committed together, its ids a JSON array. A
 * claimed entry is leased: if its publisher dies before the broker confirms, the lease runs out
 * and another publisher takes it again.
 */
export class OutboxRepository {
  async add(ex: Executor, messageId: string, pattern: string, at: string): Promise<void> {
    await this.addMany(ex, [messageId], pattern, at);
  }

  /**
   * Announces messages, in entries of at most `MAX_MESSAGES_PER_ENTRY`; returns the entries' ids.
   * `leasedUntil`: the writer publishes them itself right after its commit, and the sweeper takes
   * them only if it has not done so by then (it crashed, say).
   */
  async addMany(
    ex: Executor,
    messageIds: readonly string[],
    pattern: string,
    at: string,
    leasedUntil = at,
  ): Promise<number[]> {
    const ids: number[] = [];
    for (const chunk of chunks(messageIds, MAX_MESSAGES_PER_ENTRY))
      ids.push(...entryIds(await writeTogether(ex, [this.addWrite(ex, chunk, pattern, at, leasedUntil)])));
    return ids;
  }

  /**
   * One entry announcing `messageIds` (at most `MAX_MESSAGES_PER_ENTRY`, which the caller
   * chunks), as one statement returning the entry's id (`entryIds`): to run last among the
   * writes of its transaction (`writeTogether` returns the last one's rows).
   */
  addWrite(
    ex: Executor,
    messageIds: readonly string[],
    pattern: string,
    at: string,
    leasedUntil = at,
  ): Write {
    requireEntrySize(messageIds);
    return {
      sql: `INSERT INTO outbox (message_ids, pattern, created_at, available_at) VALUES (?, ?, ?, ?) RETURNING id`,
      params: [JSON.stringify(messageIds), pattern, at, leasedUntil],
      prepare: true,
    };
  }

  /**
   * `addWrite` on PostgreSQL, announcing only those of `messageIds` for which `condition` holds
   * (an SQL condition on `id`, such as `id IN (SELECT id FROM stored)`, a write before it in the
   * same `writeTogether`), and no entry at all if none does. The entry holds the same text as
   * `addWrite` would.
   */
  addWriteWhere(
    messageIds: readonly string[],
    pattern: string,
    at: string,
    leasedUntil: string,
    condition: string,
  ): Write {
    requireEntrySize(messageIds);
    return {
      // The ids' JSON joined as JSON.stringify joins an array's, in their order.
      sql: `INSERT INTO outbox (message_ids, pattern, created_at, available_at)
        SELECT '[' || string_agg(m.quoted, ',' ORDER BY m.n) || ']', ?::text, ?::text, ?::text
        FROM unnest(?::text[], ?::text[]) WITH ORDINALITY AS m(id, quoted, n)
        WHERE ${condition} HAVING count(*) > 0 RETURNING id`,
      params: [
        pattern,
        at,
        leasedUntil,
        arrayParam(messageIds),
        arrayParam(messageIds.map((id) => JSON.stringify(id))),
      ],
      prepare: true,
    };
  }

  /** Leases up to `limit` entries that are due, oldest first, until `leaseUntil`. */
  async claim(ex: Executor, now: string, leaseUntil: string, limit: number): Promise<OutboxEntry[]> {
    const due = await ex.query<{
      id: number | string;
      message_ids: string;
      pattern: string;
      attempts: number;
    }>(
      `SELECT id, message_ids, pattern, attempts FROM outbox WHERE available_at <= ? ORDER BY id LIMIT ?${forUpdate(ex, true)}`,
      [now, limit],
    );
    if (due.length === 0) return [];
    const ids = due.map((row) => Number(row.id));
    await ex.execute(
      `UPDATE outbox SET available_at = ?, attempts = attempts + 1 WHERE id IN (${placeholders(ids.length)})`,
      [leaseUntil, ...ids],
    );
    return due.map((row) => ({
      id: Number(row.id),
      messageIds: JSON.parse(row.message_ids) as string[],
      pattern: row.pattern,
      attempts: row.attempts + 1,
    }));
  }

  /** Removes entries the broker confirmed, by their ids: the primary key, whatever the statistics say. */
  async remove(ex: Executor, ids: readonly number[]): Promise<void> {
    for (const chunk of chunks(ids, 500)) {
      const among = inList(ex, 'id', chunk, 'bigint');
      await ex.execute(`DELETE FROM outbox WHERE ${among.sql}`, among.params, PREPARED);
    }
  }

  /** Gives entries back early (the broker refused them) so they are tried again from `availableAt`. */
  async release(ex: Executor, ids: readonly number[], availableAt: string): Promise<void> {
    for (const chunk of chunks(ids, 500)) {
      const among = inList(ex, 'id', chunk, 'bigint');
      await ex.execute(
        `UPDATE outbox SET available_at = ? WHERE ${among.sql}`,
        [availableAt, ...among.params],
        PREPARED,
      );
    }
  }

  /**
   * Announces again the messages received before `before` that a recipient still lacks in its
   * inbox, with no outbox event left (their event was lost to a dead-letter queue, say).
   * Returns their ids.
   */
  async reannounceStalled(
    tx: Executor,
    before: string,
    pattern: string,
    at: string,
    limit: number,
  ): Promise<string[]> {
    // The ids the outbox holds, read once (a hash anti-join), not searched for each message.
    const held =
      tx.dialect === 'postgres'
        ? `SELECT e.id FROM outbox o CROSS JOIN LATERAL json_array_elements_text(o.message_ids::json) AS e(id)`
        : `SELECT e.value AS id FROM outbox o, json_each(o.message_ids) AS e`;
    const stalled = await tx.query<{ message_id: string }>(
      `WITH held AS (${held})
       SELECT DISTINCT q.message_id FROM routing_queue q
       WHERE q.received_at < ? AND q.message_id NOT IN (SELECT id FROM held)
       LIMIT ?`,
      [before, limit],
    );
    await this.addMany(
      tx,
      stalled.map((row) => row.message_id),
      pattern,
      at,
    );
    return stalled.map((row) => row.message_id);
  }

  /** How many messages' events wait in the outbox (not how many entries). */
  async pending(ex: Executor): Promise<number> {
    const [row] = await ex.query<{ n: number | string | null }>(
      ex.dialect === 'postgres'
        ? 'SELECT COALESCE(SUM(json_array_length(message_ids::json)), 0) AS n FROM outbox'
        : 'SELECT COALESCE(SUM(json_array_length(message_ids)), 0) AS n FROM outbox',
    );
    return Number(row.n);
  }
}
