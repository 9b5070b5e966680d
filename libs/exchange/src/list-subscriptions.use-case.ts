import { Inject, Injectable } from '@nestjs/common';
import { Database, SubscriptionsRepository } from '@rdx/persistence';
import { subscriptionView, SubscriptionView } from './subscription.view';

/** A participant's own subscriptions. */
@Injectable()
export class ListSubscriptions {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(SubscriptionsRepository) private readonly subscriptions: SubscriptionsRepository,
  ) {}

  async execute(participantId: string): Promise<SubscriptionView[]> {
    return (await this.subscriptions.listByParticipant(this.db, participantId)).map(subscriptionView);
  }
}
