import {
  chunks,
  Column,
  Executor,
  forUpdate,
  inList,
  insertRows,
  placeholders,
  PREPARED,
  Write,
  writeTogether,
} from '../database';

export interface OutboxEntry {
  id: number;
  messageId: string;
  pattern: string;
  attempts: number;
}

const COLUMNS: Column[] = [
  ['message_id', 'text'],
  ['pattern', 'text'],
  ['created_at', 'text'],
  ['available_at', 'text'],
];

/** The ids of outbox entries, from the rows `addWrite` returns. */
export function entryIds(rows: readonly Record<string, unknown>[]): number[] {
  return rows.map((row) => Number(row.id));
}

/**
 * Events written in the same transaction as what they announce, published to the broker
 * afterwards. A claimed entry is leased: if its publisher dies before the broker confirms,
 * the lease runs out and another publisher takes it again.
 */
export class OutboxRepository {
  async add(ex: Executor, messageId: string, pattern: string, at: string): Promise<void> {
    await this.addMany(ex, [messageId], pattern, at);
  }

  /**
   * One event per message; returns the ids of the entries. `leasedUntil`: the writer publishes
   * them itself right after its commit, and the sweeper takes them only if it has not done so by
   * then (it crashed, say).
   */
  async addMany(
    ex: Executor,
    messageIds: readonly string[],
    pattern: string,
    at: string,
    leasedUntil = at,
  ): Promise<number[]> {
    const ids: number[] = [];
    for (const chunk of chunks(messageIds, 500))
      ids.push(...entryIds(await writeTogether(ex, [this.addWrite(ex, chunk, pattern, at, leasedUntil)])));
    return ids;
  }

  /**
   * `addMany` as one statement, returning the ids of the entries (`entryIds`): to run last among
   * the writes of its transaction (`writeTogether` returns the last one's rows). At most 8,000
   * messages (SQLite's limit on parameters).
   */
  addWrite(
    ex: Executor,
    messageIds: readonly string[],
    pattern: string,
    at: string,
    leasedUntil = at,
  ): Write {
    return {
      ...insertRows(
        ex,
        'outbox',
        COLUMNS,
        messageIds.map((messageId) => [messageId, pattern, at, leasedUntil]),
        'RETURNING id',
      ),
      prepare: true,
    };
  }

  /** Leases up to `limit` entries that are due, oldest first, until `leaseUntil`. */
  async claim(ex: Executor, now: string, leaseUntil: string, limit: number): Promise<OutboxEntry[]> {
    const due = await ex.query<{
      id: number | string;
      message_id: string;
      pattern: string;
      attempts: number;
    }>(
      `SELECT id, message_id, pattern, attempts FROM outbox WHERE available_at <= ? ORDER BY id LIMIT ?${forUpdate(ex, true)}`,
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
      messageId: row.message_id,
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
    const stalled = await tx.query<{ message_id: string }>(
      `SELECT DISTINCT q.message_id FROM routing_queue q
       WHERE q.received_at < ? AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.message_id = q.message_id)
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

  async pending(ex: Executor): Promise<number> {
    const [row] = await ex.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM outbox');
    return Number(row.n);
  }
}
