import { Executor, PREPARED } from '../executor';
import { Column, forUpdate, insertRows, placeholders, writeChunks } from '../sql-builders';
import { Write, writeTogether } from '../writes';
import {
  DueDeliveryRecord,
  WebhookAttemptRecord,
  WebhookDeliveryRecord,
  WebhookDeliveryStatus,
} from '../records';

type Row = {
  id: string;
  subscription_id: string;
  participant_id: string;
  message_id: string;
  seq: number | string;
  status: WebhookDeliveryStatus;
  attempts: number;
  next_attempt_at: string;
  last_status_code: number | null;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
  failed_at: string | null;
};

const toRecord = (row: Row): WebhookDeliveryRecord => ({
  id: row.id,
  subscriptionId: row.subscription_id,
  participantId: row.participant_id,
  messageId: row.message_id,
  seq: Number(row.seq),
  status: row.status,
  attempts: row.attempts,
  nextAttemptAt: row.next_attempt_at,
  lastStatusCode: row.last_status_code,
  lastError: row.last_error,
  createdAt: row.created_at,
  deliveredAt: row.delivered_at,
  failedAt: row.failed_at,
});

const COLUMNS =
  'id, subscription_id, participant_id, message_id, seq, status, attempts, next_attempt_at, last_status_code, last_error, created_at, delivered_at, failed_at';

/** The columns of a delivery as routing creates it. */
const NEW_DELIVERY_COLUMNS: Column[] = [
  ['id', 'text'],
  ['subscription_id', 'text'],
  ['participant_id', 'text'],
  ['message_id', 'text'],
  ['seq', 'bigint'],
  ['status', 'text'],
  ['attempts', 'integer'],
  ['next_attempt_at', 'text'],
  ['created_at', 'text'],
];
/** With the routing span's traceparent, for deliveries made while tracing is on. */
const TRACED_DELIVERY_COLUMNS: Column[] = [...NEW_DELIVERY_COLUMNS, ['trace_parent', 'text']];

export interface DeliveryFilter {
  participantId?: string;
  subscriptionId?: string;
  status?: WebhookDeliveryStatus;
  from?: string;
  to?: string;
}

/**
 * Webhook deliveries, one per (subscription, message), with their retry schedule. A worker leases
 * the due ones; a worker that dies leaves its lease to run out, and another takes them.
 */
export class WebhookDeliveriesRepository {
  /** Creates the deliveries that do not exist yet (a redelivered event creates none). */
  async create(tx: Executor, deliveries: readonly WebhookDeliveryRecord[]): Promise<void> {
    await writeTogether(tx, this.createWrites(tx, deliveries));
  }

  /** `create`'s statements, to run with routing's other writes (`writeTogether`). */
  createWrites(tx: Executor, deliveries: readonly WebhookDeliveryRecord[]): Write[] {
    return writeChunks(tx, deliveries, 500).map((chunk) => {
      // The untraced statement, unchanged, unless a delivery of the chunk is traced.
      const traced = chunk.some((d) => d.traceParent != null);
      return {
        ...insertRows(
          tx,
          'webhook_deliveries',
          traced ? TRACED_DELIVERY_COLUMNS : NEW_DELIVERY_COLUMNS,
          chunk.map((d) => {
            const row: unknown[] = [
              d.id,
              d.subscriptionId,
              d.participantId,
              d.messageId,
              d.seq,
              'pending',
              0,
              d.nextAttemptAt,
              d.createdAt,
            ];
            if (traced) row.push(d.traceParent ?? null);
            return row;
          }),
          'ON CONFLICT (subscription_id, message_id) DO NOTHING',
        ),
        prepare: true,
      };
    });
  }

  /**
   * Leases up to `subscriptions` subscriptions that have due deliveries, until `leaseUntil`, with
   * up to `perSubscription` of their due deliveries each, in inbox order. One worker at a time
   * holds a subscription, so its deliveries leave one after another, in order. A subscription
   * whose deliveries stopped being due between the two reads (delivered or failed meanwhile) is
   * not leased: a lease with nothing to send would hold its next deliveries back until it ran out.
   */
  async claimDue(
    tx: Executor,
    now: string,
    leaseUntil: string,
    subscriptions: number,
    perSubscription: number,
  ): Promise<DueDeliveryRecord[][]> {
    const candidates = await tx.query<{ id: string }>(
      `SELECT s.id FROM subscriptions s
       WHERE (s.dispatch_lease_until IS NULL OR s.dispatch_lease_until <= ?)
         AND EXISTS (SELECT 1 FROM webhook_deliveries d
                     WHERE d.subscription_id = s.id AND d.status = 'pending' AND d.next_attempt_at <= ?)
       LIMIT ?${forUpdate(tx, true)}`,
      [now, now, subscriptions],
    );
    const batches: DueDeliveryRecord[][] = [];
    for (const { id } of candidates) {
      const due = await this.dueOf(tx, id, now, perSubscription);
      if (due.length > 0) batches.push(due);
    }
    if (batches.length === 0) return [];
    const ids = batches.map((batch) => batch[0].subscriptionId);
    await tx.execute(
      `UPDATE subscriptions SET dispatch_lease_until = ? WHERE id IN (${placeholders(ids.length)})`,
      [leaseUntil, ...ids],
    );
    return batches;
  }

  /** Up to `limit` of a subscription's due deliveries, in inbox order, each with its last attempt's number. */
  async dueOf(
    ex: Executor,
    subscriptionId: string,
    now: string,
    limit: number,
  ): Promise<DueDeliveryRecord[]> {
    const rows = await ex.query<Row & { last_attempt: number | string | null; trace_parent: string | null }>(
      `SELECT ${COLUMNS}, trace_parent,
              (SELECT MAX(a.attempt) FROM webhook_attempts a WHERE a.delivery_id = d.id) AS last_attempt
       FROM webhook_deliveries d
       WHERE subscription_id = ? AND status = 'pending' AND next_attempt_at <= ? ORDER BY seq LIMIT ?`,
      [subscriptionId, now, limit],
      PREPARED,
    );
    return rows.map((row) => ({
      ...toRecord(row),
      lastAttempt: Number(row.last_attempt ?? 0),
      traceParent: row.trace_parent,
    }));
  }

  /**
   * Moves the end of a subscription's lease from `heldUntil` to `leaseUntil`. False when the
   * lease is no longer this holder's (it ran out and another took the subscription).
   */
  async extendLease(
    ex: Executor,
    subscriptionId: string,
    heldUntil: string,
    leaseUntil: string,
  ): Promise<boolean> {
    const changed = await ex.execute(
      'UPDATE subscriptions SET dispatch_lease_until = ? WHERE id = ? AND dispatch_lease_until = ?',
      [leaseUntil, subscriptionId, heldUntil],
      PREPARED,
    );
    return changed === 1;
  }

  /** Ends a subscription's lease, if it is still the one until `heldUntil`: its next due deliveries may go to any worker. */
  async releaseSubscription(ex: Executor, subscriptionId: string, heldUntil: string): Promise<void> {
    await ex.execute(
      'UPDATE subscriptions SET dispatch_lease_until = NULL WHERE id = ? AND dispatch_lease_until = ?',
      [subscriptionId, heldUntil],
      PREPARED,
    );
  }

  async find(ex: Executor, id: string): Promise<WebhookDeliveryRecord | undefined> {
    const [row] = await ex.query<Row>(`SELECT ${COLUMNS} FROM webhook_deliveries WHERE id = ?`, [id]);
    return row && toRecord(row);
  }

  /** Records an attempt and its outcome: delivered, failed for good, or due again at `nextAttemptAt`. */
  async recordAttempt(
    tx: Executor,
    attempt: WebhookAttemptRecord,
    outcome: { status: 'delivered' } | { status: 'failed' } | { status: 'pending'; nextAttemptAt: string },
  ): Promise<void> {
    await writeTogether(tx, this.recordAttemptWrites(attempt, outcome));
  }

  /** `recordAttempt`'s statements, to run with the other writes of its outcome (`writeTogether`). */
  recordAttemptWrites(
    attempt: WebhookAttemptRecord,
    outcome: { status: 'delivered' } | { status: 'failed' } | { status: 'pending'; nextAttemptAt: string },
  ): Write[] {
    return [
      {
        sql: `INSERT INTO webhook_attempts (delivery_id, attempt, at, status_code, latency_ms, error) VALUES (?, ?, ?, ?, ?, ?)`,
        params: [
          attempt.deliveryId,
          attempt.attempt,
          attempt.at,
          attempt.statusCode,
          attempt.latencyMs,
          attempt.error,
        ],
        prepare: true,
      },
      {
        sql: `UPDATE webhook_deliveries SET status = ?, attempts = attempts + 1, lease_until = NULL, last_status_code = ?, last_error = ?,
         next_attempt_at = ?, delivered_at = ?, failed_at = ?
       WHERE id = ? AND (status = 'pending' OR ? = 'delivered')`,
        params: [
          outcome.status,
          attempt.statusCode,
          attempt.error,
          outcome.status === 'pending' ? outcome.nextAttemptAt : attempt.at,
          outcome.status === 'delivered' ? attempt.at : null,
          outcome.status === 'failed' ? attempt.at : null,
          attempt.deliveryId,
          // A delivery cancelled (its message withdrawn or expired) while its attempt was out stays
          // cancelled, unless the attempt delivered it after all.
          outcome.status,
        ],
        prepare: true,
      },
    ];
  }

  /** Puts a delivery off without counting an attempt (its endpoint's circuit is open). */
  async postpone(ex: Executor, id: string, until: string): Promise<void> {
    await ex.execute('UPDATE webhook_deliveries SET next_attempt_at = ?, lease_until = NULL WHERE id = ?', [
      until,
      id,
    ]);
  }

  /** The messages a subscription still has deliveries pending for. */
  async pendingMessagesOf(ex: Executor, subscriptionId: string): Promise<string[]> {
    const rows = await ex.query<{ message_id: string }>(
      `SELECT message_id FROM webhook_deliveries WHERE subscription_id = ? AND status = 'pending'`,
      [subscriptionId],
    );
    return rows.map((row) => row.message_id);
  }

  /** Fails every pending delivery of a subscription (it was disabled). */
  async failPendingOf(tx: Executor, subscriptionId: string, at: string, reason: string): Promise<string[]> {
    const rows = await tx.query<{ message_id: string }>(
      `SELECT message_id FROM webhook_deliveries WHERE subscription_id = ? AND status = 'pending'`,
      [subscriptionId],
    );
    await tx.execute(
      `UPDATE webhook_deliveries SET status = 'failed', failed_at = ?, last_error = ?, lease_until = NULL
       WHERE subscription_id = ? AND status = 'pending'`,
      [at, reason, subscriptionId],
    );
    return rows.map((row) => row.message_id);
  }

  async attempts(ex: Executor, deliveryId: string): Promise<WebhookAttemptRecord[]> {
    const rows = await ex.query<{
      delivery_id: string;
      attempt: number;
      at: string;
      status_code: number | null;
      latency_ms: number;
      error: string | null;
    }>('SELECT * FROM webhook_attempts WHERE delivery_id = ? ORDER BY attempt', [deliveryId]);
    return rows.map((row) => ({
      deliveryId: row.delivery_id,
      attempt: row.attempt,
      at: row.at,
      statusCode: row.status_code,
      latencyMs: row.latency_ms,
      error: row.error,
    }));
  }

  /** Deliveries matching a filter, oldest first, after the given id's creation. */
  async list(ex: Executor, filter: DeliveryFilter, limit: number): Promise<WebhookDeliveryRecord[]> {
    const { where, params } = this.where(filter);
    const rows = await ex.query<Row>(
      `SELECT ${COLUMNS} FROM webhook_deliveries WHERE ${where} ORDER BY created_at, id LIMIT ?`,
      [...params, limit],
    );
    return rows.map(toRecord);
  }

  /** Sends deliveries again from now, as new: any status, or the one given. Returns what was replayed. */
  async replay(
    tx: Executor,
    filter: DeliveryFilter & { id?: string },
    now: string,
    limit: number,
  ): Promise<WebhookDeliveryRecord[]> {
    const { where, params } = this.where(filter);
    const rows = await tx.query<Row>(
      `SELECT ${COLUMNS} FROM webhook_deliveries WHERE ${where}${filter.id === undefined ? '' : ' AND id = ?'}
       AND status NOT IN ('cancelled', 'expired') ORDER BY created_at, id LIMIT ?${forUpdate(tx)}`,
      [...params, ...(filter.id === undefined ? [] : [filter.id]), limit],
    );
    if (rows.length === 0) return [];
    await tx.execute(
      `UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = ?, lease_until = NULL, failed_at = NULL
       WHERE id IN (${placeholders(rows.length)})`,
      [now, ...rows.map((row) => row.id)],
    );
    return rows.map(toRecord);
  }

  /** How a recipient's webhook deliveries of a message stand: none, any delivered, all failed, or still going. */
  async outcomeFor(
    ex: Executor,
    messageId: string,
    participantId: string,
  ): Promise<'none' | 'delivered' | 'failed' | 'pending'> {
    const rows = await ex.query<{ status: WebhookDeliveryStatus }>(
      'SELECT status FROM webhook_deliveries WHERE message_id = ? AND participant_id = ?',
      [messageId, participantId],
    );
    if (rows.length === 0) return 'none';
    if (rows.some((row) => row.status === 'delivered')) return 'delivered';
    if (rows.every((row) => row.status === 'failed')) return 'failed';
    return 'pending';
  }

  private where(filter: DeliveryFilter): { where: string; params: unknown[] } {
    const conditions: [string, unknown][] = [
      ['participant_id = ?', filter.participantId],
      ['subscription_id = ?', filter.subscriptionId],
      ['status = ?', filter.status],
      ['created_at >= ?', filter.from],
      ['created_at < ?', filter.to],
    ];
    const given = conditions.filter(([, value]) => value !== undefined);
    return {
      where: ['1 = 1', ...given.map(([clause]) => clause)].join(' AND '),
      params: given.map(([, value]) => value),
    };
  }
}
