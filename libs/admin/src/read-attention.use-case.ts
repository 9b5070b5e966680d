import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@rdx/exchange';
import { BacklogRepository, Database, OverviewRepository, ThreadsRepository } from '@rdx/persistence';
import { AdminPrincipal, requireRole } from './admin-authenticator';

/** Keys expiring within this many days are listed. */
export const KEY_EXPIRY_HORIZON_DAYS = 14;
const DAY_MS = 86_400_000;
/** Overdue replies listed at most. */
const OVERDUE_LISTED = 100;

/** A subscription's webhook deliveries not delivered: still due, retrying after a failed attempt, failed for good. */
export interface UndeliveredView {
  subscriptionId: string;
  participant: string;
  pending: number;
  retrying: number;
  failed: number;
}

export interface AttentionView {
  at: string;
  expiringKeys: { participant: string; kid: string; notAfter: string }[];
  /** Subscriptions with deliveries failed or retrying (their last attempt failed), most failed first. */
  failingDeliveries: UndeliveredView[];
  suspendedWithSubscriptions: { participant: string; name: string; subscriptions: number }[];
  /** Requests whose recipient missed the reply deadline and has still not replied, oldest first (100 at most). */
  overdueReplies: { requestId: string; type: string; requester: string; recipient: string; dueAt: string }[];
}

/** The deliveries not delivered, by subscription, that `principal` may see. */
export async function undeliveredFor(
  backlog: BacklogRepository,
  db: Database,
  principal: AdminPrincipal,
): Promise<UndeliveredView[]> {
  const bySubscription = new Map<string, UndeliveredView>();
  for (const count of await backlog.undeliveredWebhooks(db)) {
    if (principal.role === 'country-admin' && count.participantId.slice(0, 2) !== principal.country) continue;
    const view = bySubscription.get(count.subscriptionId) ?? {
      subscriptionId: count.subscriptionId,
      participant: count.participantId,
      pending: 0,
      retrying: 0,
      failed: 0,
    };
    view[count.state] += count.count;
    bySubscription.set(count.subscriptionId, view);
  }
  return [...bySubscription.values()].sort(
    (a, b) =>
      b.failed - a.failed || b.retrying - a.retrying || a.subscriptionId.localeCompare(b.subscriptionId),
  );
}

/**
 * What needs an administrator's attention now: keys about to expire, subscriptions whose webhook
 * deliveries fail, suspended participants still subscribed, replies overdue. A country administrator sees its
 * own country's. Circuit breakers live in each worker's memory and are not reported here: a
 * subscription whose deliveries are retrying is the durable sign of an endpoint that fails.
 */
@Injectable()
export class ReadAttention {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(OverviewRepository) private readonly overview: OverviewRepository,
    @Inject(BacklogRepository) private readonly backlog: BacklogRepository,
    @Inject(ThreadsRepository) private readonly threads: ThreadsRepository,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(principal: AdminPrincipal): Promise<AttentionView> {
    requireRole(principal, ['admin', 'country-admin', 'auditor']);
    const country = principal.role === 'country-admin' ? principal.country! : undefined;
    const now = this.clock.now();
    const horizon = new Date(now.getTime() + KEY_EXPIRY_HORIZON_DAYS * DAY_MS).toISOString();
    const [keys, undelivered, suspended, overdue] = await Promise.all([
      this.overview.expiringKeys(this.db, horizon, country),
      undeliveredFor(this.backlog, this.db, principal),
      this.overview.suspendedWithSubscriptions(this.db, country),
      this.threads.overdue(this.db, country, OVERDUE_LISTED),
    ]);
    return {
      at: now.toISOString(),
      expiringKeys: keys.map((k) => ({ participant: k.participantId, kid: k.kid, notAfter: k.notAfter })),
      failingDeliveries: undelivered.filter((u) => u.failed > 0 || u.retrying > 0),
      suspendedWithSubscriptions: suspended.map((s) => ({
        participant: s.participantId,
        name: s.name,
        subscriptions: s.subscriptions,
      })),
      overdueReplies: overdue.map((o) => ({
        requestId: o.messageId,
        type: o.type,
        requester: o.requester,
        recipient: o.recipient,
        dueAt: o.dueAt,
      })),
    };
  }
}
