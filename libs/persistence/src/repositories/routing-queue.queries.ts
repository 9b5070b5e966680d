import { arrayParam } from '../array-param';
import { Executor, PREPARED } from '../executor';
import { MessageRecord } from '../records';
import { inList, writeChunks } from '../sql-builders';
import { Write } from '../writes';
import { MessageRow, toMessage } from './message-rows';

/*
 * Routing's statements: what each recipient's routing queue holds for its inbox, the queue
 * entries routed, and the recipients marked delivered (`MessagesRepository.dueForInbox` and
 * the writes that follow it).
 */

/** Acceptance times, both included, between which a recipient's routing queue is read. */
export interface QueueWindow {
  from: string;
  to: string;
}

/** Code-point order: for acceptance times and message ids, the order of the database's indexes. */
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * `MessagesRepository.dueForInbox`. On PostgreSQL each recipient's queue is read on its own
 * through the queue's key, from `from`, and stops at `to` or the limit: the work does not grow
 * with the backlog, nor with the entries routed before `from`, which stay in the index until a
 * vacuum. Run it in a transaction planned by key (`planByKeys`), so that the plan does not
 * depend on statistics either.
 */
export async function dueForInbox(
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

/** `MessagesRepository.recipientsOf`. */
export async function recipientsOf(
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

/** `MessagesRepository.dequeueWrites`. */
export function dequeueWrites(
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

/** `MessagesRepository.deliveredWrites`. */
export function deliveredWrites(
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
