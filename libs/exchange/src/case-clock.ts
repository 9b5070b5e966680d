import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { RDX_CONFIG, RdxConfig } from '@rdx/config';
import { digestOf, GatewaySigner } from '@rdx/crypto';
import {
  AuditEntry,
  AuditRepository,
  Database,
  entryIds,
  Executor,
  MessageRecord,
  MessagesRepository,
  MissedDeadline,
  OutboxRepository,
  ThreadsRepository,
  writeTogether,
} from '@rdx/persistence';
import { Metrics } from '@rdx/telemetry';
import { DEADLINE_MISSED_TYPE } from './case-links';
import { Clock } from './clock';
import { MESSAGES_ACCEPTED } from './events';
import { Announcement, OutboxRelay } from './outbox-relay';
import { Periodic } from './periodic';
import { acceptedEntry } from './store-accepted-messages';

/** Deadlines or expiries acted on per transaction. */
const BATCH = 100;

/**
 * The time-driven half of cases, in every process (two at once take different rows): every
 * `RDX_CASE_SCAN_INTERVAL_MS` (30 s by default) it
 * - sends, for each request recipient that has not replied by the deadline, a notice the gateway
 *   signs itself (`org.asean.rdx.deadline-missed.v1`, source the gateway id) to the requester and
 *   to that recipient, counts it and records it;
 * - carries out the expiry of messages whose `expires` has passed: what of them is not delivered
 *   yet never will be.
 */
@Injectable()
export class CaseClock implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('CaseClock');
  private readonly scans = new Periodic(() => this.runOnce());

  constructor(
    @Inject(RDX_CONFIG) private readonly config: RdxConfig,
    @Inject(Database) private readonly db: Database,
    @Inject(ThreadsRepository) private readonly threads: ThreadsRepository,
    @Inject(MessagesRepository) private readonly messages: MessagesRepository,
    @Inject(OutboxRepository) private readonly outbox: OutboxRepository,
    @Inject(AuditRepository) private readonly audit: AuditRepository,
    @Inject(GatewaySigner) private readonly gateway: GatewaySigner,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
    @Inject(Metrics) private readonly metrics: Metrics,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.scans.start(this.config.caseScanIntervalMs);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.scans.stop();
  }

  /** One scan: returns how many notices were sent and expiries carried out. */
  async runOnce(): Promise<{ notices: number; expired: number }> {
    return {
      notices: await this.drain('reply deadline', () => this.noticeBatch()),
      expired: await this.drain('expiry', () => this.expiryBatch()),
    };
  }

  /** Runs `batch` until it does less than a whole batch; how many it did. A failure waits for the next scan. */
  private async drain(what: string, batch: () => Promise<number>): Promise<number> {
    let total = 0;
    try {
      for (let done = BATCH; done === BATCH; total += done) done = await batch();
    } catch (error) {
      this.logger.warn(`${what} scan stopped until the next: ${(error as Error).message}`);
    }
    return total;
  }

  private async noticeBatch(): Promise<number> {
    const announcements: Announcement[] = [];
    const missed = await this.db.transaction(async (tx) => {
      const now = this.clock.now();
      const at = now.toISOString();
      const due = await this.threads.missed(tx, at, BATCH);
      if (due.length === 0) return [];
      const rows = await Promise.all(due.map((deadline) => this.notice(deadline, now)));
      await this.messages.insertMany(tx, rows);
      const audit: AuditEntry[] = [];
      for (const [i, deadline] of due.entries()) {
        const { message } = rows[i];
        await this.threads.record(tx, noticeLinks(message.id, deadline), message.source, at);
        await this.threads.markMissed(tx, deadline, message.id, at);
        audit.push({
          at,
          actor: this.config.gatewayId,
          action: 'deadline.missed',
          subject: deadline.messageId,
          details: { recipient: deadline.participantId, dueAt: deadline.dueAt, notice: message.id },
        });
        audit.push(acceptedEntry(rows[i]));
      }
      const ids = rows.map((r) => r.message.id);
      const written = await writeTogether(tx, [
        ...this.audit.appendWrites(tx, audit),
        this.outbox.addWrite(tx, ids, MESSAGES_ACCEPTED, at, this.relay.leaseUntil(now)),
      ]);
      announcements.push({ id: entryIds(written)[0], messageIds: ids });
      return due;
    });
    // Committed: the notices go to the broker, and count.
    if (announcements.length > 0) this.relay.publishCommitted(announcements);
    for (const deadline of missed)
      this.metrics.deadlinesMissed.labels(deadline.type, deadline.participantId.slice(0, 2)).inc();
    if (missed.length > 0) this.logger.log(`sent ${missed.length} notice(s) of missed reply deadlines`);
    return missed.length;
  }

  /** The gateway's signed notice of one missed deadline, and its receipt, addressed to both parties. */
  private async notice(
    deadline: MissedDeadline,
    now: Date,
  ): Promise<{ message: MessageRecord; recipients: string[] }> {
    const id = randomUUID();
    const receivedAt = now.toISOString();
    const recipients = [...new Set([deadline.requester, deadline.participantId])];
    const envelope = {
      specversion: '1.0',
      id,
      source: this.config.gatewayId,
      type: DEADLINE_MISSED_TYPE,
      time: receivedAt,
      datacontenttype: 'application/json',
      recipients: recipients.join(' '),
      tlp: 'amber',
      inreplyto: deadline.messageId,
      data: {
        requestId: deadline.messageId,
        requestType: deadline.type,
        requester: deadline.requester,
        recipient: deadline.participantId,
        respondBy: deadline.dueAt,
      },
    };
    const jws = await this.gateway.sign(envelope, 'rdx+jws');
    const digest = digestOf(jws);
    const receipt = await this.gateway.sign(
      {
        iss: this.config.gatewayId,
        messageId: id,
        source: this.config.gatewayId,
        receivedAt,
        recipients,
        withheld: [],
        digest,
      },
      'rdx-receipt+jws',
    );
    return {
      message: {
        id,
        source: this.config.gatewayId,
        type: DEADLINE_MISSED_TYPE,
        kid: this.gateway.kid,
        tlp: 'amber',
        digest,
        jws,
        receivedAt,
        withheld: [],
        receipt,
        purgedAt: null,
      },
      recipients,
    };
  }

  private async expiryBatch(): Promise<number> {
    return this.db.transaction(async (tx: Executor) => {
      const at = this.clock.now().toISOString();
      const ids = await this.threads.expired(tx, at, BATCH);
      // All their recipients' inboxes at once, in order, before each message is dealt with.
      await this.threads.holdInboxes(tx, ids);
      const audit: AuditEntry[] = [];
      for (const id of ids) {
        const notReached = await this.threads.cancelDeliveries(tx, id, 'expired', at);
        await this.threads.markExpired(tx, id, at);
        audit.push({
          at,
          actor: this.config.gatewayId,
          action: 'message.expired',
          subject: id,
          details: { notDelivered: notReached },
        });
      }
      if (audit.length > 0) await this.audit.append(tx, audit);
      return ids.length;
    });
  }
}

/** A notice answers the request it is about, in the request's conversation. */
const noticeLinks = (id: string, deadline: MissedDeadline) => ({
  messageId: id,
  threadId: deadline.threadId,
  inReplyTo: deadline.messageId,
  supersedes: null,
  withdraws: null,
  expiresAt: null,
  respondBy: null,
  supersededBy: null,
  withdrawnBy: null,
});
