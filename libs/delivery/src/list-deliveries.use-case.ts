import { Inject, Injectable } from '@nestjs/common';
import { RdxError } from '@rdx/errors';
import { Database, WebhookDeliveriesRepository, WebhookDeliveryStatus } from '@rdx/persistence';
import { DeliveryScope, participantFilter, storedTime } from './delivery-scope';
import { attemptView, AttemptView, deliveryView, DeliveryView } from './delivery.views';

/** Webhook deliveries and their attempts, for the subscriber or an administrator. */
@Injectable()
export class ListDeliveries {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(WebhookDeliveriesRepository) private readonly deliveries: WebhookDeliveriesRepository,
  ) {}

  async execute(
    scope: DeliveryScope,
    filter: { participant?: string; status?: WebhookDeliveryStatus; from?: string; to?: string },
    limit: number,
  ): Promise<DeliveryView[]> {
    const participantId = participantFilter(scope, filter.participant);
    const rows = await this.deliveries.list(
      this.db,
      { participantId, status: filter.status, from: storedTime(filter.from), to: storedTime(filter.to) },
      limit,
    );
    return rows.map(deliveryView);
  }

  /** One delivery with every attempt; 404 when the caller may not see it. */
  async one(scope: DeliveryScope, id: string): Promise<DeliveryView & { history: AttemptView[] }> {
    const delivery = await this.deliveries.find(this.db, id);
    const visible =
      delivery !== undefined &&
      (scope.kind === 'participant'
        ? delivery.participantId === scope.participantId
        : scope.role !== 'country-admin' || delivery.participantId.slice(0, 2) === scope.country);
    if (!visible) throw new RdxError('not-found', `no delivery ${id}`);
    const attempts = await this.deliveries.attempts(this.db, id);
    return { ...deliveryView(delivery), history: attempts.map(attemptView) };
  }
}
