import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { FieldError, RdxError } from '@rdx/errors';
import { AuditRepository, Database, SubscriptionRecord, SubscriptionsRepository } from '@rdx/persistence';
import { ASEAN_COUNTRIES, SchemaRegistry } from '@rdx/schema';
import { Clock } from './clock';
import { PARTICIPANT_ID } from './envelope';
import { SubscriptionRequest, subscriptionView, SubscriptionView } from './subscription.view';

/** Subscribes a participant to message types (PROTOCOL.md section 5). Field shapes are checked by the API's DTO. */
@Injectable()
export class CreateSubscription {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(SubscriptionsRepository) private readonly subscriptions: SubscriptionsRepository,
    @Inject(AuditRepository) private readonly audit: AuditRepository,
    @Inject(SchemaRegistry) private readonly schemas: SchemaRegistry,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(participantId: string, request: SubscriptionRequest): Promise<SubscriptionView> {
    const errors: FieldError[] = [];
    request.types.forEach((type, i) => {
      if (this.schemas.get(type) === undefined)
        errors.push({ path: `types[${i}]`, message: `"${type}" is not in the catalogue` });
    });
    (request.filter?.sources ?? []).forEach((source, i) => {
      if (!PARTICIPANT_ID.test(source) && !(ASEAN_COUNTRIES as readonly string[]).includes(source)) {
        errors.push({
          path: `filter.sources[${i}]`,
          message: `"${source}" is neither a participant id nor an ASEAN country code`,
        });
      }
    });
    if (request.delivery.mode === 'webhook') {
      errors.push({
        path: 'delivery.mode',
        message: 'webhook delivery is not enabled on this gateway yet; use "pull"',
      });
    }
    if (errors.length > 0) throw new RdxError('invalid-fields', 'the subscription is not valid', { errors });

    const at = this.clock.now().toISOString();
    const record: SubscriptionRecord = {
      id: randomUUID(),
      participantId,
      types: [...new Set(request.types)],
      filterSources: request.filter?.sources === undefined ? null : [...new Set(request.filter.sources)],
      purpose: request.purpose ?? null,
      deliveryMode: 'pull',
      webhookUrl: null,
      createdAt: at,
    };
    await this.db.transaction(async (tx) => {
      await this.subscriptions.insert(tx, record);
      await this.audit.append(tx, [
        {
          at,
          actor: participantId,
          action: 'subscription.created',
          subject: record.id,
          details: { types: record.types },
        },
      ]);
    });
    return subscriptionView(record);
  }
}
