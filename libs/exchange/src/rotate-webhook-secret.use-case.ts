import { Inject, Injectable } from '@nestjs/common';
import { RDX_CONFIG, RdxConfig } from '@rdx/config';
import { RdxError } from '@rdx/errors';
import { AuditRepository, Database, SubscriptionsRepository } from '@rdx/persistence';
import { Clock } from './clock';
import { newWebhookSecret } from './subscription.view';

export interface RotatedSecret {
  id: string;
  secret: string;
  previousSecretExpiresAt: string;
}

/**
 * Gives a webhook subscription a new signing secret, shown once. Until the overlap ends, each
 * delivery carries a signature with each secret, so the receiver can switch when it is ready.
 */
@Injectable()
export class RotateWebhookSecret {
  constructor(
    @Inject(RDX_CONFIG) private readonly config: RdxConfig,
    @Inject(Database) private readonly db: Database,
    @Inject(SubscriptionsRepository) private readonly subscriptions: SubscriptionsRepository,
    @Inject(AuditRepository) private readonly audit: AuditRepository,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(participantId: string, subscriptionId: string): Promise<RotatedSecret> {
    const now = this.clock.now();
    const at = now.toISOString();
    const previousSecretExpiresAt = new Date(
      now.getTime() + this.config.webhooks.secretOverlapSeconds * 1000,
    ).toISOString();
    const secret = newWebhookSecret();
    await this.db.transaction(async (tx) => {
      const subscription = await this.subscriptions.find(tx, subscriptionId);
      if (subscription === undefined || subscription.participantId !== participantId) {
        throw new RdxError('not-found', `you have no subscription ${subscriptionId}`);
      }
      if (subscription.deliveryMode !== 'webhook') {
        throw new RdxError('invalid-fields', 'only a webhook subscription has a secret', {
          errors: [{ path: 'delivery.mode', message: 'is pull' }],
        });
      }
      await this.subscriptions.rotateSecret(tx, subscriptionId, secret, previousSecretExpiresAt);
      await this.audit.append(tx, [
        {
          at,
          actor: participantId,
          action: 'subscription.secret-rotated',
          subject: subscriptionId,
          details: { previousSecretExpiresAt },
        },
      ]);
    });
    return { id: subscriptionId, secret, previousSecretExpiresAt };
  }
}
