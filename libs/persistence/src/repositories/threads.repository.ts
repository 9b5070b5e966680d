import { Executor, PREPARED } from '../executor';
import { AckStatus, DeliveryState } from '../records';
import { forUpdate, inList, placeholders } from '../sql-builders';
import { InboxRepository } from './inbox.repository';

/** How a message links into its conversation, and what became of it (a row of `message_links`). */
export interface MessageLinks {
  messageId: string;
  threadId: string;
  inReplyTo: string | null;
  supersedes: string | null;
  withdraws: string | null;
  expiresAt: string | null;
  respondBy: string | null;
  supersededBy: string | null;
  withdrawnBy: string | null;
}

/** A message another one refers to, as the checks at acceptance need it. */
export interface ReferencedMessage {
  id: string;
  source: string;
  type: string;
  receivedAt: string;
  threadId: string;
  supersededBy: string | null;
  withdrawnBy: string | null;
  /** Its recipients, in the order they were resolved. */
  recipients: string[];
}

/** One message of a conversation, with each recipient's state and reply deadline. */
export interface ThreadMessage {
  id: string;
  source: string;
  type: string;
  receivedAt: string;
  links: MessageLinks | null;
  recipients: {
    participant: string;
    delivery: DeliveryState;
    ackStatus: AckStatus | null;
    ackAt: string | null;
    dueAt: string | null;
    repliedAt: string | null;
    missedAt: string | null;
  }[];
}

/** A reply deadline that passed with no reply. */
export interface MissedDeadline {
  messageId: string;
  participantId: string;
  dueAt: string;
  requester: string;
  type: string;
  threadId: string;
}

/** A row of `message_links`, as SELECT reads it. */
export type LinkRow = {
  message_id: string;
  thread_id: string;
  in_reply_to: string | null;
  supersedes: string | null;
  withdraws: string | null;
  expires_at: string | null;
  respond_by: string | null;
  superseded_by: string | null;
  withdrawn_by: string | null;
};

export const toLinks = (row: LinkRow): MessageLinks => ({
  messageId: row.message_id,
  threadId: row.thread_id,
  inReplyTo: row.in_reply_to,
  supersedes: row.supersedes,
  withdraws: row.withdraws,
  expiresAt: row.expires_at,
  respondBy: row.respond_by,
  supersededBy: row.superseded_by,
  withdrawnBy: row.withdrawn_by,
});

const LINK_COLUMNS = `message_id, thread_id, in_reply_to, supersedes, withdraws, expires_at, respond_by, superseded_by, withdrawn_by`;

/**
 * Conversations: the links between messages (`inreplyto`, `supersedes`, withdrawals), expiry,
 * and each request recipient's reply deadline.
 */
export class ThreadsRepository {
  private readonly inbox = new InboxRepository();

  /** The stored message `id` with its conversation and recipients; undefined if there is none. */
  async referenced(ex: Executor, id: string): Promise<ReferencedMessage | undefined> {
    const [row] = await ex.query<{
      id: string;
      source: string;
      type: string;
      received_at: string;
      thread_id: string | null;
      superseded_by: string | null;
      withdrawn_by: string | null;
    }>(
      `SELECT m.id, m.source, m.type, m.received_at, l.thread_id, l.superseded_by, l.withdrawn_by
       FROM messages m LEFT JOIN message_links l ON l.message_id = m.id WHERE m.id = ?`,
      [id],
      PREPARED,
    );
    if (row === undefined) return undefined;
    const recipients = await ex.query<{ participant_id: string }>(
      'SELECT participant_id FROM message_recipients WHERE message_id = ? ORDER BY position',
      [id],
      PREPARED,
    );
    return {
      id: row.id,
      source: row.source,
      type: row.type,
      receivedAt: row.received_at,
      threadId: row.thread_id ?? row.id,
      supersededBy: row.superseded_by,
      withdrawnBy: row.withdrawn_by,
      recipients: recipients.map((r) => r.participant_id),
    };
  }

  /**
   * Records a message's links, and what it does to the message it refers to: an update marks
   * the original superseded; a withdrawal marks it withdrawn and cancels what of it is still to
   * be delivered (its routing queue entries, pending deliveries, pending and failed webhooks); a
   * reply meets its sender's deadline. In the transaction that stores the message.
   */
  async record(tx: Executor, links: MessageLinks, source: string, at: string): Promise<void> {
    await tx.execute(`INSERT INTO message_links (${LINK_COLUMNS}) VALUES (${placeholders(9)})`, [
      links.messageId,
      links.threadId,
      links.inReplyTo,
      links.supersedes,
      links.withdraws,
      links.expiresAt,
      links.respondBy,
      null,
      null,
    ]);
    if (links.supersedes !== null)
      await this.mark(tx, links.supersedes, links.threadId, 'superseded_by', links.messageId);
    if (links.withdraws !== null) {
      await this.mark(tx, links.withdraws, links.threadId, 'withdrawn_by', links.messageId);
      await this.cancelDeliveries(tx, links.withdraws, 'cancelled', at);
    }
    if (links.inReplyTo !== null)
      await tx.execute(
        'UPDATE reply_deadlines SET replied_at = ? WHERE message_id = ? AND participant_id = ? AND replied_at IS NULL',
        [at, links.inReplyTo, source],
      );
  }

  /** Each recipient's reply to a request is due at `dueAt`. */
  async addDeadlines(
    tx: Executor,
    messageId: string,
    recipients: readonly string[],
    dueAt: string,
  ): Promise<void> {
    if (recipients.length === 0) return;
    await tx.execute(
      `INSERT INTO reply_deadlines (message_id, participant_id, due_at) VALUES ${recipients.map(() => '(?, ?, ?)').join(', ')}`,
      recipients.flatMap((participant) => [messageId, participant, dueAt]),
    );
  }

  /** Sets a column of the original's links, creating its row (a conversation of its own) if it has none. */
  private async mark(
    tx: Executor,
    original: string,
    threadId: string,
    column: 'superseded_by' | 'withdrawn_by',
    by: string,
  ): Promise<void> {
    await tx.execute(
      `INSERT INTO message_links (message_id, thread_id, ${column}) VALUES (?, ?, ?)
       ON CONFLICT (message_id) DO UPDATE SET ${column} = excluded.${column}`,
      [original, threadId, by],
    );
  }

  /**
   * What of a message is still to be delivered, no longer will be: it leaves the routing queues,
   * its pending recipients and webhook deliveries (and failed ones, which a replay would send
   * again) become `state`. Returns the recipients it will not reach.
   */
  async cancelDeliveries(
    tx: Executor,
    messageId: string,
    state: 'cancelled' | 'expired',
    at: string,
  ): Promise<string[]> {
    await this.holdInboxes(tx, [messageId]);
    await tx.execute('DELETE FROM routing_queue WHERE message_id = ?', [messageId]);
    await tx.execute(
      `UPDATE webhook_deliveries SET status = ?, next_attempt_at = ?, lease_until = NULL
       WHERE message_id = ? AND status IN ('pending', 'failed')`,
      [state, at, messageId],
    );
    const rows = await tx.query<{ participant_id: string }>(
      `UPDATE message_recipients SET delivery = ? WHERE message_id = ? AND delivery IN ('pending', 'failed')
       RETURNING participant_id`,
      [state, messageId],
    );
    return rows.map((r) => r.participant_id).sort();
  }

  /**
   * Locks the inbox counters of the messages' recipients, as routing does before it reads what
   * is due for them: a routing transaction that got there first has committed (what it wrote
   * into an inbox is delivered), and one that comes after reads the routing queues without what
   * this transaction takes out of them. Every counter at once, in routing's order.
   */
  async holdInboxes(tx: Executor, messageIds: readonly string[]): Promise<void> {
    if (messageIds.length === 0) return;
    const among = inList(tx, 'message_id', messageIds);
    const rows = await tx.query<{ participant_id: string }>(
      `SELECT DISTINCT participant_id FROM message_recipients WHERE ${among.sql}`,
      among.params,
      PREPARED,
    );
    await this.inbox.lockCounters(
      tx,
      rows.map((r) => r.participant_id),
    );
  }

  /** Messages whose expiry passed and has not been carried out yet, locked, at most `limit`. */
  async expired(tx: Executor, now: string, limit: number): Promise<string[]> {
    const rows = await tx.query<{ message_id: string }>(
      `SELECT message_id FROM message_links WHERE expires_at IS NOT NULL AND expired_at IS NULL AND expires_at <= ?
       ORDER BY expires_at LIMIT ?${forUpdate(tx, true)}`,
      [now, limit],
      PREPARED,
    );
    return rows.map((r) => r.message_id);
  }

  async markExpired(tx: Executor, messageId: string, at: string): Promise<void> {
    await tx.execute('UPDATE message_links SET expired_at = ? WHERE message_id = ?', [at, messageId]);
  }

  /** Reply deadlines passed with no reply and no notice yet, locked, at most `limit`, oldest first. */
  async missed(tx: Executor, now: string, limit: number): Promise<MissedDeadline[]> {
    const rows = await tx.query<{
      message_id: string;
      participant_id: string;
      due_at: string;
      source: string;
      type: string;
      thread_id: string | null;
    }>(
      `SELECT d.message_id, d.participant_id, d.due_at, m.source, m.type, l.thread_id
       FROM reply_deadlines d JOIN messages m ON m.id = d.message_id
       LEFT JOIN message_links l ON l.message_id = d.message_id
       WHERE d.replied_at IS NULL AND d.missed_at IS NULL AND d.due_at <= ?
       ORDER BY d.due_at, d.message_id, d.participant_id LIMIT ?${tx.dialect === 'postgres' ? ' FOR UPDATE OF d SKIP LOCKED' : ''}`,
      [now, limit],
      PREPARED,
    );
    return rows.map((r) => ({
      messageId: r.message_id,
      participantId: r.participant_id,
      dueAt: r.due_at,
      requester: r.source,
      type: r.type,
      threadId: r.thread_id ?? r.message_id,
    }));
  }

  async markMissed(tx: Executor, deadline: MissedDeadline, noticeId: string, at: string): Promise<void> {
    await tx.execute(
      'UPDATE reply_deadlines SET missed_at = ?, notice_id = ? WHERE message_id = ? AND participant_id = ?',
      [at, noticeId, deadline.messageId, deadline.participantId],
    );
  }

  /** A message's links, if it has any. */
  async links(ex: Executor, messageId: string): Promise<MessageLinks | undefined> {
    const [row] = await ex.query<LinkRow>(
      `SELECT ${LINK_COLUMNS} FROM message_links WHERE message_id = ?`,
      [messageId],
      PREPARED,
    );
    return row && toLinks(row);
  }

  /**
   * Reply deadlines missed and still unanswered, oldest first, at most `limit`: those of `country`
   * (its participants asked, or owe the reply) when given.
   */
  async overdue(
    ex: Executor,
    country: string | undefined,
    limit: number,
  ): Promise<
    {
      messageId: string;
      type: string;
      requester: string;
      recipient: string;
      dueAt: string;
      missedAt: string;
    }[]
  > {
    const rows = await ex.query<{
      message_id: string;
      type: string;
      source: string;
      participant_id: string;
      due_at: string;
      missed_at: string;
    }>(
      `SELECT d.message_id, m.type, m.source, d.participant_id, d.due_at, d.missed_at
       FROM reply_deadlines d JOIN messages m ON m.id = d.message_id
       WHERE d.missed_at IS NOT NULL AND d.replied_at IS NULL
       ${country === undefined ? '' : 'AND (substr(m.source, 1, 2) = ? OR substr(d.participant_id, 1, 2) = ?)'}
       ORDER BY d.due_at, d.message_id, d.participant_id LIMIT ?`,
      country === undefined ? [limit] : [country, country, limit],
    );
    return rows.map((r) => ({
      messageId: r.message_id,
      type: r.type,
      requester: r.source,
      recipient: r.participant_id,
      dueAt: r.due_at,
      missedAt: r.missed_at,
    }));
  }

  /** The id of the conversation a message belongs to; undefined if the message is not stored. */
  async threadOf(ex: Executor, messageId: string): Promise<string | undefined> {
    const [row] = await ex.query<{ thread_id: string | null }>(
      `SELECT l.thread_id FROM messages m LEFT JOIN message_links l ON l.message_id = m.id WHERE m.id = ?`,
      [messageId],
      PREPARED,
    );
    return row === undefined ? undefined : (row.thread_id ?? messageId);
  }

  /** Every message of a conversation, in acceptance order, with its links and recipients. */
  async thread(ex: Executor, threadId: string): Promise<ThreadMessage[]> {
    const messages = await ex.query<
      LinkRow & { id: string; source: string; type: string; received_at: string }
    >(
      `SELECT m.id, m.source, m.type, m.received_at, ${LINK_COLUMNS.split(', ')
        .map((c) => `l.${c}`)
        .join(', ')}
       FROM messages m LEFT JOIN message_links l ON l.message_id = m.id
       WHERE m.id = ? OR m.id IN (SELECT message_id FROM message_links WHERE thread_id = ?)
       ORDER BY m.received_at, m.id`,
      [threadId, threadId],
      PREPARED,
    );
    if (messages.length === 0) return [];
    const ids = messages.map((m) => m.id);
    const recipients = await ex.query<{
      message_id: string;
      participant_id: string;
      delivery: DeliveryState;
      ack_status: AckStatus | null;
      ack_at: string | null;
      due_at: string | null;
      replied_at: string | null;
      missed_at: string | null;
    }>(
      `SELECT r.message_id, r.participant_id, r.delivery, r.ack_status, r.ack_at, d.due_at, d.replied_at, d.missed_at
       FROM message_recipients r
       LEFT JOIN reply_deadlines d ON d.message_id = r.message_id AND d.participant_id = r.participant_id
       WHERE r.message_id IN (${placeholders(ids.length)}) ORDER BY r.message_id, r.position`,
      ids,
    );
    return messages.map((m) => ({
      id: m.id,
      source: m.source,
      type: m.type,
      receivedAt: m.received_at,
      links: m.message_id === null ? null : toLinks(m),
      recipients: recipients
        .filter((r) => r.message_id === m.id)
        .map((r) => ({
          participant: r.participant_id,
          delivery: r.delivery,
          ackStatus: r.ack_status,
          ackAt: r.ack_at,
          dueAt: r.due_at,
          repliedAt: r.replied_at,
          missedAt: r.missed_at,
        })),
    }));
  }
}
