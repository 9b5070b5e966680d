import { arrayParam } from '../array-param';
import { Executor, PREPARED } from '../executor';
import { Column, inList, insertRows, insertRowsWhere, placeholders, writeChunks } from '../sql-builders';
import { Write, writeTogether } from '../writes';
import { AckStatus, MessageRecord, RecipientRecord } from '../records';

type MessageRow = {
  id: string;
  source: string;
  type: string;
  kid: string;
  tlp: string;
  digest: string;
  jws: string;
  received_at: string;
  withheld: string;
  receipt: string;
  purged_at: string | null;
};

type RecipientRow = {
  message_id: string;
  participant_id: string;
  delivery: RecipientRecord['delivery'];
  delivered_at: string | null;
  ack_status: AckStatus | null;
  ack_at: string | null;
};

/** Code-point order: for acceptance times and message ids, the order of the database's indexes. */
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const toMessage = (row: MessageRow): MessageRecord => ({
  id: row.id,
  source: row.source,
  type: row.type,
  kid: row.kid,
  tlp: row.tlp,
  digest: row.digest,
  jws: row.jws,
  receivedAt: row.received_at,
  withheld: JSON.parse(row.withheld) as MessageRecord['withheld'],
  receipt: row.receipt,
  purgedAt: row.purged_at,
});

const toRecipient = (row: RecipientRow): RecipientRecord => ({
  messageId: row.message_id,
  participantId: row.participant_id,
  delivery: row.delivery,
  deliveredAt: row.delivered_at,
  ackStatus: row.ack_status,
  ackAt: row.ack_at,
});

const MESSAGE_COLUMNS: Column[] = [
  ['id', 'text'],
  ['source', 'text'],
  ['type', 'text'],
  ['kid', 'text'],
  ['tlp', 'text'],
  ['digest', 'text'],
  ['jws', 'text'],
  ['received_at', 'text'],
  ['withheld', 'text'],
  ['receipt', 'text'],
];
const RECIPIENT_COLUMNS: Column[] = [
  ['message_id', 'text'],
  ['participant_id', 'text'],
  ['position', 'integer'],
  ['delivery', 'text'],
  ['received_at', 'text'],
];

/** A message's values in the order of `MESSAGE_COLUMNS`. */
const messageRow = (m: MessageRecord): unknown[] => [
  m.id,
  m.source,
  m.type,
  m.kid,
  m.tlp,
  m.digest,
  m.jws,
  m.receivedAt,
  JSON.stringify(m.withheld),
  m.receipt,
];

/**
 * The name of `insertNewWrite`'s write, whose rows are the ids of the messages it stored:
 * `message_id IN (SELECT id FROM stored)`.
 */
export const STORED = 'stored';

/** The condition that `column` holds the id of a message `insertNewWrite`'s write stored. */
export const amongStored = (column: string): string => `${column} IN (SELECT id FROM ${STORED})`;

/** Each recipient's queue of messages not yet written into its inbox. */
const QUEUE_COLUMNS: Column[] = [
  ['participant_id', 'text'],
  ['received_at', 'text'],
  ['message_id', 'text'],
];

/** Accepted messages, byte for byte, with the recipients resolved when they were accepted. */
/** Acceptance times, both included, between which a recipient's routing queue is read. */
export interface QueueWindow {
  from: string;
  to: string;
}

export class MessagesRepository {
  /** Stores a message and its recipients; false (and nothing written) when the id is taken. */
  async insert(ex: Executor, m: MessageRecord, recipients: readonly string[]): Promise<boolean> {
    return (await this.insertMany(ex, [{ message: m, recipients }])).has(m.id);
  }

  /**
   * Stores messages and their recipients with a few multi-row statements; returns the ids stored.
   * A message whose id is taken is left out, with its recipients. Ids must be distinct.
   */
  async insertMany(
    ex: Executor,
    batch: readonly { message: MessageRecord; recipients: readonly string[] }[],
  ): Promise<Set<string>> {
    const stored = await this.insertNew(
      ex,
      batch.map(({ message }) => message),
    );
    await writeTogether(
      ex,
      this.recipientWrites(
        ex,
        batch.filter(({ message }) => stored.has(message.id)),
      ),
    );
    return stored;
  }

  /**
   * Stores the messages whose ids are not taken, without their recipients (`recipientWrites`,
   * to write next); returns the ids stored. Ids must be distinct.
   */
  async insertNew(ex: Executor, messages: readonly MessageRecord[]): Promise<Set<string>> {
    const stored = new Set<string>();
    for (const chunk of writeChunks(ex, messages, 200)) {
      const { sql, params } = insertRows(
        ex,
        'messages',
        MESSAGE_COLUMNS,
        chunk.map(messageRow),
        'ON CONFLICT (id) DO NOTHING RETURNING id',
      );
      const rows = await ex.query<{ id: string }>(sql, params, PREPARED);
      for (const row of rows) stored.add(row.id);
    }
    return stored;
  }

  /**
   * `insertNew` as the first of `writeTogether`'s writes on PostgreSQL, named `STORED`: the
   * messages whose ids are not taken, if `condition` holds (an SQL condition, such as that the
   * registry has not changed). The writes after it that depend on it read the ids it stored.
   */
  insertNewWrite(messages: readonly MessageRecord[], condition: string): Write {
    return {
      ...insertRowsWhere(
        'messages',
        MESSAGE_COLUMNS,
        messages.map(messageRow),
        condition,
        'ON CONFLICT (id) DO NOTHING RETURNING id',
      ),
      prepare: true,
      name: STORED,
    };
  }

  /**
   * The second half of `insertMany`, to run with other writes (`writeTogether`): the recipient
   * rows of messages just stored, and their entries in each recipient's routing queue. With
   * `ofStored` (PostgreSQL), `stored` are candidates, and only those of the messages that the
   * write named `STORED` stored are written.
   */
  recipientWrites(
    ex: Executor,
    stored: readonly { message: MessageRecord; recipients: readonly string[] }[],
    ofStored = false,
  ): Write[] {
    const recipients = stored.flatMap(({ message, recipients: ids }) =>
      ids.map((participant, position) => [message.id, participant, position, 'pending', message.receivedAt]),
    );
    const insert = (table: string, columns: readonly Column[], rows: readonly (readonly unknown[])[]) =>
      ofStored
        ? insertRowsWhere(table, columns, rows, amongStored('message_id'))
        : insertRows(ex, table, columns, rows);
    return writeChunks(ex, recipients, 1000).flatMap((chunk) => [
      { ...insert('message_recipients', RECIPIENT_COLUMNS, chunk), prepare: true },
      {
        ...insert(
          'routing_queue',
          QUEUE_COLUMNS,
          chunk.map(([messageId, participant, , , receivedAt]) => [participant, receivedAt, messageId]),
        ),
        prepare: true,
      },
    ]);
  }

  async find(ex: Executor, id: string): Promise<MessageRecord | undefined> {
    const [row] = await ex.query<MessageRow>('SELECT * FROM messages WHERE id = ?', [id]);
    return row && toMessage(row);
  }

  /** The digests of those of `ids` that are stored, without loading their bodies. */
  async findDigests(
    ex: Executor,
    ids: readonly string[],
  ): Promise<Map<string, { digest: string; source: string }>> {
    if (ids.length === 0) return new Map();
    const among = inList(ex, 'id', ids);
    const rows = await ex.query<{ id: string; digest: string; source: string }>(
      `SELECT id, digest, source FROM messages WHERE ${among.sql}`,
      among.params,
      PREPARED,
    );
    return new Map(rows.map((row) => [row.id, { digest: row.digest, source: row.source }]));
  }

  async recipients(ex: Executor, messageId: string): Promise<RecipientRecord[]> {
    const rows = await ex.query<RecipientRow>(
      'SELECT * FROM message_recipients WHERE message_id = ? ORDER BY position',
      [messageId],
    );
    return rows.map(toRecipient);
  }

  async recipient(
    ex: Executor,
    messageId: string,
    participantId: string,
  ): Promise<RecipientRecord | undefined> {
    const [row] = await ex.query<RecipientRow>(
      'SELECT * FROM message_recipients WHERE message_id = ? AND participant_id = ?',
      [messageId, participantId],
    );
    return row && toRecipient(row);
  }

  /** Marks a message delivered to those of `participantIds` it is still pending for. */
  async markDelivered(
    ex: Executor,
    messageId: string,
    participantIds: readonly string[],
    at: string,
  ): Promise<void> {
    await this.markDeliveredMany(
      ex,
      participantIds.map((participantId) => ({ messageId, participantId })),
      at,
    );
  }

  /**
   * For each of many recipients, the messages accepted for it within its window (`from` and `to`,
   * acceptance times, both included) that are not in its inbox yet (its routing queue), in the
   * order they were accepted, at most `limit` each. Only messages of `withBodies` types carry their
   * JWS; the others have `jws` ''.
   *
   * On PostgreSQL each recipient's queue is read on its own through the queue's key, from `from`,
   * and stops at `to` or the limit: the work does not grow with the backlog, nor with the entries
   * routed before `from`, which stay in the index until a vacuum. Run it in a transaction planned
   * by key (`planByKeys`), so that the plan does not depend on statistics either.
   */
  async dueForInbox(
    ex: Executor,
    windows: ReadonlyMap<string, QueueWindow>,
    withBodies: readonly string[],
    limit = 500,
  ): Promise<Map<string, MessageRecord[]>> {
    const due = new Map<string, MessageRecord[]>([...windows.keys()].map((id) => [id, []]));
    if (windows.size === 0) return due;
    const redactable = inList(ex, 'm.type', withBodies);
    const columns = `q.participant_id, m.id, m.source, m.type, m.kid, m.tlp, m.digest,
              CASE WHEN ${redactable.sql} THEN m.jws ELSE '' END AS jws, m.received_at,
              m.withheld, m.receipt, m.purged_at`;
    const recipients = [...windows.keys()];
    const [from, to] = [[...windows.values()].map((w) => w.from), [...windows.values()].map((w) => w.to)];
    const rows =
      ex.dialect === 'postgres'
        ? await ex.query<MessageRow & { participant_id: string }>(
            `SELECT ${columns}
             FROM unnest(?::text[], ?::text[], ?::text[]) AS b (participant_id, since, bound)
             CROSS JOIN LATERAL (
               SELECT participant_id, received_at, message_id FROM routing_queue
               WHERE participant_id = b.participant_id AND received_at >= b.since AND received_at <= b.bound
               ORDER BY received_at, message_id LIMIT ?
             ) q
             JOIN messages m ON m.id = q.message_id`,
            [...redactable.params, arrayParam(recipients), arrayParam(from), arrayParam(to), limit],
            PREPARED,
          )
        : await ex.query<MessageRow & { participant_id: string }>(
            `WITH b (participant_id, since, bound) AS (VALUES ${recipients.map(() => '(?, ?, ?)').join(', ')})
             SELECT ${columns}
             FROM b JOIN routing_queue q ON q.participant_id = b.participant_id
               AND q.received_at >= b.since AND q.received_at <= b.bound
             JOIN messages m ON m.id = q.message_id`,
            [...recipients.flatMap((id, i) => [id, from[i], to[i]]), ...redactable.params],
          );
    // Ordered here rather than by the database, which would sort the bodies along.
    for (const row of rows) due.get(row.participant_id)!.push(toMessage(row));
    for (const [participant, list] of due) {
      list.sort((a, b) => compare(a.receivedAt, b.receivedAt) || compare(a.id, b.id));
      if (list.length > limit) due.set(participant, list.slice(0, limit));
    }
    return due;
  }

  /** The recipients of `messageIds`, with when each message was accepted (in a transaction planned by key: by primary key). */
  async recipientsOf(
    ex: Executor,
    messageIds: readonly string[],
  ): Promise<{ messageId: string; participantId: string; receivedAt: string }[]> {
    if (messageIds.length === 0) return [];
    const among = inList(ex, 'message_id', messageIds);
    const rows = await ex.query<{ message_id: string; participant_id: string; received_at: string }>(
      `SELECT message_id, participant_id, received_at FROM message_recipients WHERE ${among.sql}`,
      among.params,
      PREPARED,
    );
    return rows.map((row) => ({
      messageId: row.message_id,
      participantId: row.participant_id,
      receivedAt: row.received_at,
    }));
  }

  /** Takes messages written into their recipients' inboxes out of the routing queue. */
  async dequeueRouted(
    ex: Executor,
    routed: readonly { messageId: string; participantId: string; receivedAt: string }[],
  ): Promise<void> {
    await writeTogether(ex, this.dequeueWrites(ex, routed));
  }

  /** `dequeueRouted`'s statements, to run with routing's other writes (`writeTogether`). */
  dequeueWrites(
    ex: Executor,
    routed: readonly { messageId: string; participantId: string; receivedAt: string }[],
  ): Write[] {
    return writeChunks(ex, routed, 500).map((chunk) =>
      ex.dialect === 'postgres'
        ? {
            sql: `DELETE FROM routing_queue q
           USING unnest(?::text[], ?::text[], ?::text[]) AS d (participant_id, received_at, message_id)
           WHERE q.participant_id = d.participant_id AND q.received_at = d.received_at
             AND q.message_id = d.message_id`,
            params: [
              arrayParam(chunk.map((p) => p.participantId)),
              arrayParam(chunk.map((p) => p.receivedAt)),
              arrayParam(chunk.map((p) => p.messageId)),
            ],
            prepare: true,
          }
        : {
            sql: `DELETE FROM routing_queue
           WHERE (participant_id, received_at, message_id) IN (VALUES ${chunk.map(() => '(?, ?, ?)').join(', ')})`,
            params: chunk.flatMap((p) => [p.participantId, p.receivedAt, p.messageId]),
          },
    );
  }

  /** Marks (message, recipient) pairs delivered, those still pending. */
  async markDeliveredMany(
    ex: Executor,
    pairs: readonly { messageId: string; participantId: string }[],
    at: string,
  ): Promise<void> {
    await writeTogether(ex, this.deliveredWrites(ex, pairs, at));
  }

  /** `markDeliveredMany`'s statements, to run with routing's other writes (`writeTogether`). */
  deliveredWrites(
    ex: Executor,
    pairs: readonly { messageId: string; participantId: string }[],
    at: string,
  ): Write[] {
    return writeChunks(ex, pairs, 500).map((chunk) =>
      ex.dialect === 'postgres'
        ? {
            sql: `UPDATE message_recipients r SET delivery = 'delivered', delivered_at = ?
           FROM unnest(?::text[], ?::text[]) AS d (message_id, participant_id)
           WHERE r.message_id = d.message_id AND r.participant_id = d.participant_id AND r.delivery = 'pending'`,
            params: [
              at,
              arrayParam(chunk.map((p) => p.messageId)),
              arrayParam(chunk.map((p) => p.participantId)),
            ],
            prepare: true,
          }
        : {
            sql: `UPDATE message_recipients SET delivery = 'delivered', delivered_at = ?
           WHERE (message_id, participant_id) IN (VALUES ${chunk.map(() => '(?, ?)').join(', ')}) AND delivery = 'pending'`,
            params: [at, ...chunk.flatMap((p) => [p.messageId, p.participantId])],
          },
    );
  }

  /**
   * Removes the payload of up to `limit` messages of `type` received before `before`: the JWS (and
   * the acknowledgements' JWS) go; the row, its recipients, digest, receipt and audit record stay.
   * Returns how many were purged.
   */
  async purgeExpired(tx: Executor, type: string, before: string, at: string, limit: number): Promise<number> {
    const ids = (
      await tx.query<{ id: string }>(
        'SELECT id FROM messages WHERE type = ? AND received_at < ? AND purged_at IS NULL ORDER BY received_at LIMIT ?',
        [type, before, limit],
      )
    ).map((row) => row.id);
    if (ids.length === 0) return 0;
    await tx.execute(
      `UPDATE messages SET jws = '', purged_at = ? WHERE id IN (${placeholders(ids.length)})`,
      [at, ...ids],
    );
    await tx.execute(
      `UPDATE message_recipients SET ack_jws = NULL WHERE message_id IN (${placeholders(ids.length)})`,
      ids,
    );
    await tx.execute(
      `UPDATE inbox_entries SET redacted_jws = NULL WHERE message_id IN (${placeholders(ids.length)})`,
      ids,
    );
    return ids.length;
  }

  /** A recipient whose every delivery channel failed for good. */
  async markFailed(ex: Executor, messageId: string, participantId: string): Promise<void> {
    await ex.execute(
      `UPDATE message_recipients SET delivery = 'failed' WHERE message_id = ? AND participant_id = ? AND delivery = 'pending'`,
      [messageId, participantId],
    );
  }

  /** A failed recipient whose delivery is being tried again (a replay). */
  async markRetrying(ex: Executor, messageId: string, participantId: string): Promise<void> {
    await ex.execute(
      `UPDATE message_recipients SET delivery = 'pending' WHERE message_id = ? AND participant_id = ? AND delivery = 'failed'`,
      [messageId, participantId],
    );
  }

  /** Moves a recipient's acknowledgement to `status`, only from `expected` (compare-and-set). */
  async setAck(
    ex: Executor,
    ack: {
      messageId: string;
      participantId: string;
      status: AckStatus;
      at: string;
      reason: string | null;
      jws: string;
    },
    expected: AckStatus | null,
  ): Promise<boolean> {
    const changed = await ex.execute(
      `UPDATE message_recipients SET ack_status = ?, ack_at = ?, ack_reason = ?, ack_jws = ?
       WHERE message_id = ? AND participant_id = ? AND ${expected === null ? 'ack_status IS NULL' : 'ack_status = ?'}`,
      [
        ack.status,
        ack.at,
        ack.reason,
        ack.jws,
        ack.messageId,
        ack.participantId,
        ...(expected === null ? [] : [expected]),
      ],
    );
    return changed === 1;
  }

  async count(ex: Executor): Promise<number> {
    const [row] = await ex.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM messages');
    return Number(row.n);
  }
}
