import { Inject, Injectable, Logger } from '@nestjs/common';
import { RDX_CONFIG, RdxConfig } from '@rdx/config';
import { AuditRepository, Database, InboxRepository, MessagesRepository } from '@rdx/persistence';
import { Clock } from './clock';

/**
 * The worker's half of routing: writes an accepted message into each recipient's inbox,
 * at most once per recipient, and records the delivery, all in one transaction. The broker
 * is acknowledged only after it commits, so a crash here means the event comes again.
 */
@Injectable()
export class RouteMessage {
  private readonly logger = new Logger('RouteMessage');

  constructor(
    @Inject(RDX_CONFIG) private readonly config: RdxConfig,
    @Inject(Database) private readonly db: Database,
    @Inject(MessagesRepository) private readonly messages: MessagesRepository,
    @Inject(InboxRepository) private readonly inbox: InboxRepository,
    @Inject(AuditRepository) private readonly audit: AuditRepository,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(messageId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const at = this.clock.now().toISOString();
      const pending = (await this.messages.recipients(tx, messageId)).filter((r) => r.delivery === 'pending');
      if (pending.length === 0) return;
      // One lock order for every worker (participant id), so two workers never wait on each other in a circle.
      const participants = pending.map((r) => r.participantId).sort();
      const delivered: string[] = [];
      for (const participant of participants) {
        await this.inbox.append(tx, participant, [messageId], at);
        delivered.push(participant);
      }
      await this.messages.markDelivered(tx, messageId, delivered, at);
      await this.audit.append(
        tx,
        delivered.map((participant) => ({
          at,
          actor: this.config.gatewayId,
          action: 'message.delivered',
          subject: messageId,
          details: { recipient: participant, channel: 'inbox' },
        })),
      );
    });
    this.logger.debug(`routed ${messageId}`);
  }
}
