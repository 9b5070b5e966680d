import { Inject, Injectable } from '@nestjs/common';
import { RdxError } from '@rdx/errors';
import { AuditRepository, Database, SubscriptionsRepository } from '@rdx/persistence';
import { Clock } from './clock';

/** Ends one of the caller's subscriptions; anyone else's is 404 to it. */
@Injectable()
export class DeleteSubscription {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(SubscriptionsRepository) private readonly subscriptions: SubscriptionsRepository,
    @Inject(AuditRepository) private readonly audit: AuditRepository,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(participantId: string, id: string): Promise<void> {
    const at = this.clock.now().toISOString();
    await this.db.transaction(async (tx) => {
      if (!(await this.subscriptions.delete(tx, participantId, id))) {
        throw new RdxError('not-found', `you have no subscription ${id}`);
      }
      await this.audit.append(tx, [
        { at, actor: participantId, action: 'subscription.deleted', subject: id },
      ]);
    });
  }
}
