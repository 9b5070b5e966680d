import { Executor, forUpdate, placeholders } from '../database';
import { InboxRow } from '../records';

/**
 * Each recipient's inbox: a message at most once, numbered by a gap-free `seq`.
 * Appends for one recipient take its counter row's lock, so numbers commit in order.
 */
export class InboxRepository {
  /**
   * Appends the messages a recipient does not have yet, in the order given.
   * Must run inside a transaction. Returns what was actually appended, with its seq.
   */
  async append(
    tx: Executor,
    participantId: string,
    messageIds: readonly string[],
    at: string,
    redacted: ReadonlyMap<string, string> = new Map(),
  ): Promise<{ messageId: string; seq: number }[]> {
    if (messageIds.length === 0) return [];
    await tx.execute(
      'INSERT INTO inbox_counters (participant_id, last_seq) VALUES (?, 0) ON CONFLICT (participant_id) DO NOTHING',
      [participantId],
    );
    const [counter] = await tx.query<{ last_seq: number | string }>(
      `SELECT last_seq FROM inbox_counters WHERE participant_id = ?${forUpdate(tx)}`,
      [participantId],
    );
    const present = new Set(
      (
        await tx.query<{ message_id: string }>(
          `SELECT message_id FROM inbox_entries WHERE participant_id = ? AND message_id IN (${placeholders(messageIds.length)})`,
          [participantId, ...messageIds],
        )
      ).map((row) => row.message_id),
    );
    const fresh = [...new Set(messageIds)].filter((id) => !present.has(id));
    if (fresh.length === 0) return [];
    const first = Number(counter.last_seq) + 1;
    await tx.execute(
      `INSERT INTO inbox_entries (participant_id, seq, message_id, created_at, redacted_jws) VALUES ${fresh.map(() => '(?, ?, ?, ?, ?)').join(', ')}`,
      fresh.flatMap((messageId, i) => [
        participantId,
        first + i,
        messageId,
        at,
        redacted.get(messageId) ?? null,
      ]),
    );
    await tx.execute('UPDATE inbox_counters SET last_seq = ? WHERE participant_id = ?', [
      first + fresh.length - 1,
      participantId,
    ]);
    return fresh.map((messageId, i) => ({ messageId, seq: first + i }));
  }

  /** Items after `afterSeq`, in order. */
  async page(ex: Executor, participantId: string, afterSeq: number, limit: number): Promise<InboxRow[]> {
    const rows = await ex.query<Row>(
      `${SELECT} WHERE e.participant_id = ? AND e.seq > ? ORDER BY e.seq LIMIT ?`,
      [participantId, afterSeq, limit],
    );
    return rows.map(toRow);
  }

  /** One recipient's item of one message. */
  async item(ex: Executor, participantId: string, messageId: string): Promise<InboxRow | undefined> {
    const [row] = await ex.query<Row>(`${SELECT} WHERE e.participant_id = ? AND e.message_id = ?`, [
      participantId,
      messageId,
    ]);
    return row && toRow(row);
  }
}

type Row = {
  seq: number | string;
  message_id: string;
  source: string;
  type: string;
  received_at: string;
  jws: string;
  redacted_jws: string | null;
  purged_at: string | null;
};

const SELECT = `SELECT e.seq, e.message_id, m.source, m.type, m.received_at, m.jws, e.redacted_jws, m.purged_at
  FROM inbox_entries e JOIN messages m ON m.id = e.message_id`;

const toRow = (row: Row): InboxRow => ({
  seq: Number(row.seq),
  messageId: row.message_id,
  source: row.source,
  type: row.type,
  receivedAt: row.received_at,
  jws: row.jws,
  redactedJws: row.redacted_jws,
  purgedAt: row.purged_at,
});
