import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { RDX_CONFIG, RdxConfig } from '@rdx/config';
import {
  AuditRepository,
  Database,
  Executor,
  InboxRepository,
  MessageRecord,
  MessagesRepository,
  SubscriptionsRepository,
  WebhookDeliveriesRepository,
  WebhookDeliveryRecord,
} from '@rdx/persistence';
import { Clock } from './clock';

/**
 * The worker's half of routing: writes an accepted message into each recipient's inbox, at most
 * once per recipient, schedules a webhook delivery for each of the recipient's webhook
 * subscriptions that asks for it, and records it all, in one transaction. The broker is
 * acknowledged only after it commits, so a crash here means the event comes again.
 */
@Injectable()
export class RouteMessage {
  constructor(
    @Inject(RDX_CONFIG) private readonly config: RdxConfig,
    @Inject(Database) private readonly db: Database,
    @Inject(MessagesRepository) private readonly messages: MessagesRepository,
    @Inject(InboxRepository) private readonly inbox: InboxRepository,
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
      if (pending.length === 0) return;
      // One lock order for every worker (participant id), so two workers never wait on each other in a circle.
      const participants = pending.map((r) => r.participantId).sort();
      const webhooks = await this.webhooksFor(tx, message, participants);
      const inInbox: string[] = [];
      for (const participant of participants) {
        const [appended] = await this.inbox.append(tx, participant, [messageId], at);
        if (appended === undefined) continue;
        inInbox.push(participant);
        await this.deliveries.create(
          tx,
          (webhooks.get(participant) ?? []).map((subscriptionId) =>
            this.newDelivery(subscriptionId, participant, message, appended.seq, at),
          ),
        );
      }
      // A pull recipient has it once it is in its inbox; a webhook recipient once its endpoint took it.
      await this.messages.markDelivered(
        tx,
        messageId,
        inInbox.filter((participant) => !webhooks.has(participant)),
        at,
      );
      await this.audit.append(
        tx,
        inInbox.map((participant) => ({
          at,
          actor: this.config.gatewayId,
          action: 'message.delivered',
          subject: messageId,
          details: { recipient: participant, channel: 'inbox' },
        })),
      );
    });
  }

  /** Each recipient's active webhook subscriptions that ask for this message. */
  private async webhooksFor(
    tx: Executor,
    message: MessageRecord,
    participants: string[],
  ): Promise<Map<string, string[]>> {
    const wanted = new Set(participants);
    const sourceCountry = message.source.slice(0, 2);
    const byParticipant = new Map<string, string[]>();
    for (const s of await this.subscriptions.forType(tx, message.type)) {
      if (s.deliveryMode !== 'webhook' || !wanted.has(s.participantId)) continue;
      if (
        s.filterSources !== null &&
        !s.filterSources.some((f) => f === message.source || f === sourceCountry)
      )
        continue;
      byParticipant.set(s.participantId, [...(byParticipant.get(s.participantId) ?? []), s.id]);
    }
    return byParticipant;
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
