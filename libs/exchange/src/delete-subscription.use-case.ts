import { Inject, Injectable } from '@nestjs/common';
import { RdxError } from '@rdx/errors';
import {
  AuditRepository,
  Database,
  MessagesRepository,
  SubscriptionsRepository,
  WebhookDeliveriesRepository,
} from '@rdx/persistence';
import { Clock } from './clock';

/** Ends one of the caller's subscriptions, and its pending webhook deliveries; anyone else's is 404 to it. */
@Injectable()
export class DeleteSubscription {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(SubscriptionsRepository) private readonly subscriptions: SubscriptionsRepository,
    @Inject(WebhookDeliveriesRepository) private readonly deliveries: WebhookDeliveriesRepository,
    @Inject(MessagesRepository) private readonly messages: MessagesRepository,
    @Inject(AuditRepository) private readonly audit: AuditRepository,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(participantId: string, id: string): Promise<void> {
    const at = this.clock.now().toISOString();
    await this.db.transaction(async (tx) => {
      const unsent = await this.deliveries.pendingMessagesOf(tx, id);
      if (!(await this.subscriptions.delete(tx, participantId, id))) {
        throw new RdxError('not-found', `you have no subscription ${id}`);
      }
      // Its pending webhook deliveries go with it; what they carried is in the inbox already.
      for (const messageId of unsent) {
        if ((await this.deliveries.outcomeFor(tx, messageId, participantId)) === 'none') {
          await this.messages.markDelivered(tx, messageId, [participantId], at);
        }
      }
      await this.audit.append(tx, [
        { at, actor: participantId, action: 'subscription.deleted', subject: id },
      ]);
    });
  }
}
