import { Inject, Injectable } from '@nestjs/common';
import { RdxError } from '@rdx/errors';
import { AckStatus, Database, DeliveryState, ThreadMessage, ThreadsRepository } from '@rdx/persistence';
import { Clock } from './clock';

/** Where a message of a conversation stands, as its viewer sees it; the first that holds, in this order. */
export type ThreadStatus =
  'withdrawn' | 'superseded' | 'expired' | 'overdue' | 'acknowledged' | 'delivered' | 'pending' | 'accepted';

export interface ThreadRecipient {
  participant: string;
  delivery: DeliveryState;
  ack?: { status: AckStatus; at: string };
  /** A request's recipient: when its reply is due, and when it came. */
  respondBy?: string;
  repliedAt?: string;
  overdue?: true;
}

export interface ThreadEntry {
  messageId: string;
  type: string;
  source: string;
  receivedAt: string;
  status: ThreadStatus;
  inReplyTo?: string;
  supersedes?: string;
  withdraws?: string;
  supersededBy?: string;
  withdrawnBy?: string;
  expires?: string;
  respondBy?: string;
  /** Every recipient for the message's sender; a recipient sees itself only. */
  recipients: ThreadRecipient[];
}

export interface ThreadView {
  threadId: string;
  messages: ThreadEntry[];
}

/**
 * A case's conversation (`GET /v1/threads/{messageId}`): every message linked to `messageId` by
 * `inreplyto`, `supersedes` and withdrawals, in acceptance order, of those the caller sent or
 * received. A conversation the caller has no part in is 404, as an unknown message is.
 */
@Injectable()
export class GetThread {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(ThreadsRepository) private readonly threads: ThreadsRepository,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(messageId: string, viewer: string): Promise<ThreadView> {
    const threadId = await this.threads.threadOf(this.db, messageId);
    const messages = threadId === undefined ? [] : await this.threads.thread(this.db, threadId);
    const now = this.clock.now().getTime();
    const seen = messages.filter(
      (m) => m.source === viewer || m.recipients.some((r) => r.participant === viewer),
    );
    if (!seen.some((m) => m.id === messageId))
      throw new RdxError('not-found', `no message ${messageId} that you sent or received`);
    return { threadId: threadId!, messages: seen.map((m) => entry(m, viewer, now)) };
  }
}

function entry(m: ThreadMessage, viewer: string, now: number): ThreadEntry {
  const recipients = (
    m.source === viewer ? m.recipients : m.recipients.filter((r) => r.participant === viewer)
  ).map((r): ThreadRecipient => ({
    participant: r.participant,
    delivery: r.delivery,
    ...(r.ackStatus === null ? {} : { ack: { status: r.ackStatus, at: r.ackAt! } }),
    ...(r.dueAt === null ? {} : { respondBy: r.dueAt }),
    ...(r.repliedAt === null ? {} : { repliedAt: r.repliedAt }),
    ...(isOverdue(r, now) ? { overdue: true as const } : {}),
  }));
  const l = m.links;
  return {
    messageId: m.id,
    type: m.type,
    source: m.source,
    receivedAt: m.receivedAt,
    status: statusOf(m, recipients, now),
    ...(l?.inReplyTo ? { inReplyTo: l.inReplyTo } : {}),
    ...(l?.supersedes ? { supersedes: l.supersedes } : {}),
    ...(l?.withdraws ? { withdraws: l.withdraws } : {}),
    ...(l?.supersededBy ? { supersededBy: l.supersededBy } : {}),
    ...(l?.withdrawnBy ? { withdrawnBy: l.withdrawnBy } : {}),
    ...(l?.expiresAt ? { expires: l.expiresAt } : {}),
    ...(l?.respondBy ? { respondBy: l.respondBy } : {}),
    recipients,
  };
}

const isOverdue = (r: { dueAt: string | null; repliedAt: string | null }, now: number) =>
  r.dueAt !== null && r.repliedAt === null && Date.parse(r.dueAt) <= now;

function statusOf(m: ThreadMessage, recipients: readonly ThreadRecipient[], now: number): ThreadStatus {
  if (m.links?.withdrawnBy) return 'withdrawn';
  if (m.links?.supersededBy) return 'superseded';
  if (m.links?.expiresAt && Date.parse(m.links.expiresAt) <= now) return 'expired';
  if (recipients.some((r) => r.overdue)) return 'overdue';
  if (recipients.length === 0) return 'accepted';
  if (recipients.every((r) => r.ack !== undefined)) return 'acknowledged';
  if (recipients.every((r) => r.delivery === 'delivered')) return 'delivered';
  return 'pending';
}
