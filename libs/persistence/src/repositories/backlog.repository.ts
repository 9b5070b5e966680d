import { Executor, PREPARED } from '../executor';

/** Entries counted in one queue at most: a scrape reads no more than this many rows of each. */
export const BACKLOG_COUNT_LIMIT = 100_000;

/** One of the gateway's queues: its entries (up to `BACKLOG_COUNT_LIMIT`) and when its oldest was made. */
export interface QueueBacklog {
  entries: number;
  oldestAt: string | null;
}

/** The gateway's queues between acceptance and the inboxes, and the audit chainer's. */
export interface Backlogs {
  /** Outbox events, each the batch of messages committed together. */
  outbox: QueueBacklog;
  /** (Message, recipient) pairs still to be written into an inbox. */
  routing: QueueBacklog;
  /** Acts whose audit entries wait to be linked into the chain. */
  audit: QueueBacklog;
}

/** Webhook deliveries not delivered, counted by subscription and state. */
export interface UndeliveredCount {
  subscriptionId: string;
  participantId: string;
  state: 'pending' | 'retrying' | 'failed';
  count: number;
}

const capped = (table: string) =>
  `(SELECT COUNT(*) FROM (SELECT 1 FROM ${table} LIMIT ${BACKLOG_COUNT_LIMIT}) AS capped)`;

/**
 * Every queue in one statement, each read by its key only: the outbox and the audit queue by id
 * (ids are given in order of creation), the routing queue by one probe of its key per
 * participant (its key starts with the recipient). Counts stop at `BACKLOG_COUNT_LIMIT`.
 */
const backlogSql = (ex: Executor) => `SELECT
  ${capped('outbox')} AS outbox_entries,
  (SELECT created_at FROM outbox ORDER BY id LIMIT 1) AS outbox_oldest,
  ${capped('routing_queue')} AS routing_entries,
  (SELECT MIN((SELECT q.received_at FROM routing_queue q WHERE q.participant_id = p.id
               ORDER BY q.received_at LIMIT 1)) FROM participants p) AS routing_oldest,
  ${capped('audit_pending')} AS audit_entries,
  (SELECT ${ex.dialect === 'postgres' ? "entries::json->0->>'at'" : "json_extract(entries, '$[0].at')"}
     FROM audit_pending ORDER BY id LIMIT 1) AS audit_oldest`;

type BacklogRow = Record<`${keyof Backlogs}_entries`, number | string> &
  Record<`${keyof Backlogs}_oldest`, string | null>;

/**
 * What operators watch at every scrape (`/metrics`): the queues' backlogs and the webhook
 * deliveries not delivered. Each read has a bounded cost, however large the tables grow.
 */
export class BacklogRepository {
  async queues(ex: Executor): Promise<Backlogs> {
    const [row] = await ex.query<BacklogRow>(backlogSql(ex), [], PREPARED);
    const queue = (name: keyof Backlogs): QueueBacklog => ({
      entries: Number(row[`${name}_entries`]),
      oldestAt: row[`${name}_oldest`],
    });
    return { outbox: queue('outbox'), routing: queue('routing'), audit: queue('audit') };
  }

  /**
   * One grouped read of the index of undelivered deliveries (`webhook_deliveries_undelivered`):
   * those still to go or failed; a cancelled or expired one (its message withdrawn or expired) is done with.
   */
  async undeliveredWebhooks(ex: Executor): Promise<UndeliveredCount[]> {
    const rows = await ex.query<{
      subscription_id: string;
      participant_id: string;
      status: string;
      retried: number | boolean;
      n: number | string;
    }>(
      `SELECT subscription_id, participant_id, status, CASE WHEN attempts > 0 THEN 1 ELSE 0 END AS retried,
         COUNT(*) AS n
       FROM webhook_deliveries WHERE status <> 'delivered' AND status IN ('pending', 'failed')
       GROUP BY subscription_id, participant_id, status, CASE WHEN attempts > 0 THEN 1 ELSE 0 END`,
      [],
      PREPARED,
    );
    return rows.map((row) => ({
      subscriptionId: row.subscription_id,
      participantId: row.participant_id,
      state: row.status === 'failed' ? 'failed' : Number(row.retried) === 1 ? 'retrying' : 'pending',
      count: Number(row.n),
    }));
  }
}
