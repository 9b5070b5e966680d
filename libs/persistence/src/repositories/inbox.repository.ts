import { arrayParam } from '../array-param';
import { Executor, PREPARED } from '../executor';
import { Column, forUpdate, inList, insertRows, placeholders, writeChunks } from '../sql-builders';
import { Write, writeTogether } from '../writes';
import { InboxRow } from '../records';
import { LinkRow, toLinks } from './threads.repository';

const ENTRY_COLUMNS: Column[] = [
  ['participant_id', 'text'],
  ['seq', 'bigint'],
  ['message_id', 'text'],
  ['created_at', 'text'],
  ['redacted_jws', 'text'],
];
const COUNTER_COLUMNS: Column[] = [
  ['participant_id', 'text'],
  ['last_seq', 'bigint'],
];

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
    const lastSeq = (await this.lockCounters(tx, [participantId])).get(participantId)!;
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
    const first = lastSeq + 1;
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

  /**
   * Locks the inbox counters of `participantIds`, always in participant id order so that two
   * workers never wait on each other in a circle; returns each last seq. Must run inside a
   * transaction.
   *
   * A participant's counter is created with it (`ParticipantsRepository.insert`), so this is
   * one statement. A counter found missing all the same is created here, in order too, and
   * locked in a second read (whose fresh snapshot sees one another worker created meanwhile).
   */
  async lockCounters(tx: Executor, participantIds: readonly string[]): Promise<Map<string, number>> {
    const ids = [...new Set(participantIds)].sort();
    if (ids.length === 0) return new Map();
    const counters = await this.readLocked(tx, ids);
    const missing = ids.filter((id) => !counters.has(id));
    if (missing.length === 0) return counters;
    const create = insertRows(
      tx,
      'inbox_counters',
      COUNTER_COLUMNS,
      missing.map((id) => [id, 0]),
      'ON CONFLICT (participant_id) DO NOTHING',
    );
    await tx.execute(create.sql, create.params, PREPARED);
    for (const [id, seq] of await this.readLocked(tx, missing)) counters.set(id, seq);
    return counters;
  }

  private async readLocked(tx: Executor, ids: readonly string[]): Promise<Map<string, number>> {
    const among = inList(tx, 'participant_id', ids);
    const rows = await tx.query<{ participant_id: string; last_seq: number | string }>(
      `SELECT participant_id, last_seq FROM inbox_counters WHERE ${among.sql}
       ORDER BY participant_id${forUpdate(tx)}`,
      among.params,
      PREPARED,
    );
    return new Map(rows.map((row) => [row.participant_id, Number(row.last_seq)]));
  }

  /**
   * Writes entries numbered by the caller from counters it holds locked (`lockCounters`), and
   * moves those counters on.
   */
  async insertNumbered(
    tx: Executor,
    entries: readonly { participantId: string; seq: number; messageId: string; redactedJws: string | null }[],
    at: string,
  ): Promise<void> {
    await writeTogether(tx, this.insertNumberedWrites(tx, entries, at));
  }

  /** `insertNumbered`'s statements, to run with others (`writeTogether`). */
  insertNumberedWrites(
    tx: Executor,
    entries: readonly { participantId: string; seq: number; messageId: string; redactedJws: string | null }[],
    at: string,
  ): Write[] {
    const writes: Write[] = writeChunks(tx, entries, 500).map((chunk) => ({
      ...insertRows(
        tx,
        'inbox_entries',
        ENTRY_COLUMNS,
        chunk.map((e) => [e.participantId, e.seq, e.messageId, at, e.redactedJws]),
      ),
      prepare: true,
    }));
    const last = new Map<string, number>();
    for (const e of entries) last.set(e.participantId, Math.max(last.get(e.participantId) ?? 0, e.seq));
    for (const chunk of writeChunks(tx, [...last], 500)) {
      writes.push(
        tx.dialect === 'postgres'
          ? {
              sql: `UPDATE inbox_counters c SET last_seq = d.last_seq
           FROM unnest(?::text[], ?::bigint[]) AS d (participant_id, last_seq)
           WHERE c.participant_id = d.participant_id`,
              params: [
                arrayParam(chunk.map(([id]) => id)),
                arrayParam(
                  chunk.map(([, seq]) => seq),
                  'bigint',
                ),
              ],
              prepare: true,
            }
          : {
              sql: `UPDATE inbox_counters SET last_seq = CASE participant_id ${chunk.map(() => 'WHEN ? THEN CAST(? AS BIGINT)').join(' ')} END
           WHERE participant_id IN (${placeholders(chunk.length)})`,
              params: [...chunk.flat(), ...chunk.map(([id]) => id)],
            },
      );
    }
    return writes;
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
    return (await this.items(ex, participantId, [messageId])).get(messageId);
  }

  /** Those of `messageIds` in a participant's inbox, by message id. */
  async items(
    ex: Executor,
    participantId: string,
    messageIds: readonly string[],
  ): Promise<Map<string, InboxRow>> {
    if (messageIds.length === 0) return new Map();
    const among = inList(ex, 'e.message_id', messageIds);
    const rows = await ex.query<Row>(
      `${SELECT} WHERE e.participant_id = ? AND ${among.sql}`,
      [participantId, ...among.params],
      PREPARED,
    );
    return new Map(rows.map((row) => [row.message_id, toRow(row)]));
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
} & Omit<LinkRow, 'message_id' | 'thread_id'> & {
    // Of the LEFT JOIN: null when the message has no links.
    thread_id: string | null;
  };

const SELECT = `SELECT e.seq, e.message_id, m.source, m.type, m.received_at, m.jws, e.redacted_jws, m.purged_at,
  l.thread_id, l.in_reply_to, l.supersedes, l.withdraws, l.expires_at, l.respond_by, l.superseded_by, l.withdrawn_by
  FROM inbox_entries e JOIN messages m ON m.id = e.message_id LEFT JOIN message_links l ON l.message_id = e.message_id`;

const toRow = (row: Row): InboxRow => ({
  seq: Number(row.seq),
  messageId: row.message_id,
  source: row.source,
  type: row.type,
  receivedAt: row.received_at,
  jws: row.jws,
  redactedJws: row.redacted_jws,
  purgedAt: row.purged_at,
  links:
    row.thread_id === null ? null : toLinks({ ...row, message_id: row.message_id, thread_id: row.thread_id }),
});
