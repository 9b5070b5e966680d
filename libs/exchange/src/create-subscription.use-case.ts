import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { FieldError, RdxError } from '@rdx/errors';
import { AuditRepository, Database, SubscriptionRecord, SubscriptionsRepository } from '@rdx/persistence';
import { ASEAN_COUNTRIES, SchemaRegistry } from '@rdx/schema';
import { Clock } from './clock';
import { PARTICIPANT_ID } from './envelope';
import {
  newWebhookSecret,
  SubscriptionRequest,
  subscriptionView,
  SubscriptionView,
} from './subscription.view';
import { WebhookUrlGuard } from './webhook-url.guard';

/**
 * Subscribes a participant to message types (PROTOCOL.md section 5), by pull or by webhook. A
 * webhook URL passes the SSRF checks, and its signing secret is in this answer only.
 * Field shapes are checked by the API's DTO.
 */
@Injectable()
export class CreateSubscription {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(SubscriptionsRepository) private readonly subscriptions: SubscriptionsRepository,
    @Inject(AuditRepository) private readonly audit: AuditRepository,
    @Inject(SchemaRegistry) private readonly schemas: SchemaRegistry,
    @Inject(WebhookUrlGuard) private readonly urls: WebhookUrlGuard,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(participantId: string, request: SubscriptionRequest): Promise<SubscriptionView> {
    const errors: FieldError[] = [];
    request.types.forEach((type, i) => {
      if (this.schemas.get(type) === undefined) {
        errors.push({ path: `types[${i}]`, message: `"${type}" is not in the catalogue` });
      }
    });
    (request.filter?.sources ?? []).forEach((source, i) => {
      if (!PARTICIPANT_ID.test(source) && !(ASEAN_COUNTRIES as readonly string[]).includes(source)) {
        errors.push({
          path: `filter.sources[${i}]`,
          message: `"${source}" is neither a participant id nor an ASEAN country code`,
        });
      }
    });
    if (request.delivery.mode === 'webhook' && request.delivery.url === undefined) {
      errors.push({ path: 'delivery.url', message: 'a webhook subscription needs its url' });
    }
    if (errors.length > 0) throw new RdxError('invalid-fields', 'the subscription is not valid', { errors });
    const webhook =
      request.delivery.mode === 'webhook' ? await this.urls.check(request.delivery.url!) : undefined;
    const secret = webhook === undefined ? null : newWebhookSecret();

    const at = this.clock.now().toISOString();
    const record: SubscriptionRecord = {
      id: randomUUID(),
      participantId,
      types: [...new Set(request.types)],
      filterSources: request.filter?.sources === undefined ? null : [...new Set(request.filter.sources)],
      purpose: request.purpose ?? null,
      deliveryMode: request.delivery.mode,
      webhookUrl: webhook === undefined ? null : webhook.url.toString(),
      createdAt: at,
      status: 'active',
      disabledReason: null,
    };
    await this.db.transaction(async (tx) => {
      await this.subscriptions.insert(tx, record, secret);
      await this.audit.append(tx, [
        {
          at,
          actor: participantId,
          action: 'subscription.created',
          subject: record.id,
          details: { types: record.types, delivery: record.deliveryMode },
        },
      ]);
    });
    return { ...subscriptionView(record), ...(secret === null ? {} : { secret }) };
  }
}
