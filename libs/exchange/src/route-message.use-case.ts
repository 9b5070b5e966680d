import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { RDX_CONFIG, RdxConfig } from '@rdx/config';
import {
  AuditEntry,
  AuditRepository,
  Database,
  InboxRepository,
  MessageRecord,
  MessagesRepository,
  ParticipantsRepository,
  SubscriptionRecord,
  SubscriptionsRepository,
  WebhookDeliveriesRepository,
  WebhookDeliveryRecord,
} from '@rdx/persistence';
import { Clock } from './clock';
import { Redaction } from './redaction';
import { SharingPolicy } from './sharing-policy';
import { acceptsSource } from './subscription.view';

/**
 * The worker's half of routing: writes an accepted message into each recipient's inbox, at most
 * once per recipient, schedules a webhook delivery for each of the recipient's webhook
 * subscriptions that asks for it, and records it all, in one transaction. The broker is
 * acknowledged only after it commits, so a crash here means the event comes again.
 *
 * Messages accepted earlier for the same recipient that are still not in its inbox (their events
 * are late: another worker, a broker outage) are written first, so each inbox, and each
 * subscription's webhooks, follow the order in which the gateway accepted the messages.
 */
@Injectable()
export class RouteMessage {
  constructor(
    @Inject(RDX_CONFIG) private readonly config: RdxConfig,
    @Inject(Database) private readonly db: Database,
    @Inject(MessagesRepository) private readonly messages: MessagesRepository,
    @Inject(InboxRepository) private readonly inbox: InboxRepository,
    @Inject(ParticipantsRepository) private readonly participants: ParticipantsRepository,
    @Inject(Redaction) private readonly redaction: Redaction,
    @Inject(SharingPolicy) private readonly policy: SharingPolicy,
    @Inject(SubscriptionsRepository) private readonly subscriptions: SubscriptionsRepository,
    @Inject(WebhookDeliveriesRepository) private readonly deliveries: WebhookDeliveriesRepository,
    @Inject(AuditRepository) private readonly audit: AuditRepository,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(messageId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const at = this.clock.now().toISOString();
      const message = await this.messages.find(tx, messageId);
      if (message === undefined) return;
      const pending = (await this.messages.recipients(tx, messageId)).filter((r) => r.delivery === 'pending');
      const entries: AuditEntry[] = [];
      const kinds = new Map(
        (
          await this.participants.findMany(
            tx,
            pending.map((r) => r.participantId),
          )
        ).map((p) => [p.id, p.kind]),
      );
      const byType = new Map<string, SubscriptionRecord[]>();
      // One lock order for every worker (participant id), so two workers never wait on each other in a circle.
      for (const participant of pending.map((r) => r.participantId).sort()) {
        const due = await this.messages.awaitingInbox(tx, participant, message.receivedAt);
        // Already in its inbox (a redelivered event; a webhook recipient still pending): nothing to write.
        if (due.length === 0) continue;
        // Fields the policy reserves for other kinds of participant: this recipient gets a redacted copy.
        const redacted = new Map<string, string>();
        for (const m of due) {
          const copy = await this.redaction.copyFor(m, participant, kinds.get(participant)!);
          if (copy !== undefined) redacted.set(m.id, copy);
        }
        const appended = await this.inbox.append(
          tx,
          participant,
          due.map((m) => m.id),
          at,
          redacted,
        );
        const byId = new Map(due.map((m) => [m.id, m]));
        for (const { messageId: id, seq } of appended) {
          const routed = byId.get(id)!;
          if (!byType.has(routed.type))
            byType.set(routed.type, await this.subscriptions.forType(tx, routed.type));
          const webhooks = this.webhooksFor(byType.get(routed.type)!, routed, participant);
          await this.deliveries.create(
            tx,
            webhooks.map((subscriptionId) => this.newDelivery(subscriptionId, participant, routed, seq, at)),
          );
          // A pull recipient has it once it is in its inbox; a webhook recipient once its endpoint took it.
          if (webhooks.length === 0) await this.messages.markDelivered(tx, id, [participant], at);
          entries.push({
            at,
            actor: this.config.gatewayId,
            action: 'message.delivered',
            subject: id,
            details: {
              recipient: participant,
              channel: 'inbox',
              ...(redacted.has(id) ? { redacted: true } : {}),
            },
          });
        }
      }
      await this.audit.append(tx, entries);
    });
  }

  /** The recipient's active webhook subscriptions, of those for the message's type, that ask for it. */
  private webhooksFor(forType: SubscriptionRecord[], message: MessageRecord, participant: string): string[] {
    return forType
      .filter(
        (s) =>
          s.deliveryMode === 'webhook' &&
          s.participantId === participant &&
          this.policy.allowsPurpose(message.type, s.purpose) &&
          acceptsSource(s, message.source),
      )
      .map((s) => s.id);
  }

  private newDelivery(
    subscriptionId: string,
    participantId: string,
    message: MessageRecord,
    seq: number,
    at: string,
  ): WebhookDeliveryRecord {
    return {
      id: `msg_${randomUUID().replace(/-/g, '')}`,
      subscriptionId,
      participantId,
      messageId: message.id,
      seq,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: at,
      lastStatusCode: null,
      lastError: null,
      createdAt: at,
      deliveredAt: null,
      failedAt: null,
    };
  }
}
