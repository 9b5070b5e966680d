import { Executor, PREPARED } from '../executor';
import { AckStatus, MessageRecord, RecipientRecord } from '../records';
import { inList, placeholders } from '../sql-builders';
import { Write, writeTogether } from '../writes';
import { MessageRow, RecipientRow, toMessage, toRecipient } from './message-rows';
import * as storage from './message-storage.queries';
import * as routing from './routing-queue.queries';

/** Accepted messages, byte for byte, with the recipients resolved when they were accepted. */
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
    return storage.insertNew(ex, messages);
  }

  /**
   * `insertNew` as the first of `writeTogether`'s writes on PostgreSQL, named `STORED`: the
   * messages whose ids are not taken, if `condition` holds (an SQL condition, such as that the
   * registry has not changed). The writes after it that depend on it read the ids it stored.
   */
  insertNewWrite(messages: readonly MessageRecord[], condition: string): Write {
    return storage.insertNewWrite(messages, condition);
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
    return storage.recipientWrites(ex, stored, ofStored);
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

  /** The stored traceparents of those of `ids` that have one (traced while tracing was on). */
  async traceParents(ex: Executor, ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const among = inList(ex, 'id', ids);
    const rows = await ex.query<{ id: string; trace_parent: string }>(
      `SELECT id, trace_parent FROM messages WHERE ${among.sql} AND trace_parent IS NOT NULL`,
      among.params,
      PREPARED,
    );
    return new Map(rows.map((row) => [row.id, row.trace_parent]));
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
   * order they were accepted, at most `limit` each (500 unless given). Only messages of
   * `withBodies` types carry their JWS; the others have `jws` ''. Run it in a transaction
   * planned by key (`planByKeys`): see `routing.dueForInbox` for why.
   */
  async dueForInbox(
    ex: Executor,
    windows: ReadonlyMap<string, routing.QueueWindow>,
    withBodies: readonly string[],
    limit?: number,
  ): Promise<Map<string, MessageRecord[]>> {
    return routing.dueForInbox(ex, windows, withBodies, limit);
  }

  /** The recipients of `messageIds`, with when each message was accepted (in a transaction planned by key: by primary key). */
  async recipientsOf(
    ex: Executor,
    messageIds: readonly string[],
  ): Promise<{ messageId: string; participantId: string; receivedAt: string }[]> {
    return routing.recipientsOf(ex, messageIds);
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
    return routing.dequeueWrites(ex, routed);
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
    return routing.deliveredWrites(ex, pairs, at);
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
