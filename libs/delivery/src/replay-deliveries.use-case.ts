import { Inject, Injectable } from '@nestjs/common';
import { RdxError } from '@rdx/errors';
import { Clock } from '@rdx/exchange';
import {
  AuditRepository,
  Database,
  MessagesRepository,
  WebhookDeliveriesRepository,
  WebhookDeliveryStatus,
} from '@rdx/persistence';
import { DeliveryScope, mayReplay, participantFilter, storedTime } from './delivery-scope';

const MAX_REPLAY = 10_000;

export interface ReplayRequest {
  /** One delivery, or every delivery created in [from, to). */
  id?: string;
  participant?: string;
  /** Only the deliveries of this subscription (of the participant named). */
  subscription?: string;
  from?: string;
  to?: string;
  /** Only those in this state; any state when absent (a receiver that lost its data wants the delivered ones too). */
  status?: WebhookDeliveryStatus;
}

/**
 * Sends deliveries again, as new (same webhook-id, a fresh retry schedule): one, or all of a time
 * window, failed or not. A failed recipient is pending again until the replay settles.
 */
@Injectable()
export class ReplayDeliveries {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(WebhookDeliveriesRepository) private readonly deliveries: WebhookDeliveriesRepository,
    @Inject(MessagesRepository) private readonly messages: MessagesRepository,
    @Inject(AuditRepository) private readonly audit: AuditRepository,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(scope: DeliveryScope, request: ReplayRequest, actor: string): Promise<{ replayed: number }> {
    mayReplay(scope);
    if (request.id === undefined && (request.from === undefined || request.to === undefined)) {
      throw new RdxError('invalid-fields', 'name a delivery, or a time window', {
        errors: [{ path: 'from', message: 'from and to are both needed to replay a window' }],
      });
    }
    const from = storedTime(request.from);
    const to = storedTime(request.to);
    if (from !== undefined && to !== undefined && to <= from) {
      throw new RdxError('invalid-fields', 'the window is empty', {
        errors: [{ path: 'to', message: 'must be after from' }],
      });
    }
    const participantId =
      request.id === undefined ? participantFilter(scope, request.participant) : undefined;
    const at = this.clock.now().toISOString();
    const replayed = await this.db.transaction(async (tx) => {
      const rows = await this.deliveries.replay(
        tx,
        {
          id: request.id,
          participantId,
          subscriptionId: request.subscription,
          status: request.status,
          from,
          to,
        },
        at,
        MAX_REPLAY,
      );
      const allowed = rows.filter((row) =>
        scope.kind === 'admin'
          ? scope.role !== 'country-admin' || row.participantId.slice(0, 2) === scope.country
          : row.participantId === scope.participantId,
      );
      if (allowed.length !== rows.length || (request.id !== undefined && rows.length === 0)) {
        throw new RdxError('not-found', `no delivery ${request.id ?? 'in that window'} you may replay`);
      }
      for (const row of rows) await this.messages.markRetrying(tx, row.messageId, row.participantId);
      if (rows.length > 0) {
        await this.audit.append(tx, [
          {
            at,
            actor,
            action: 'delivery.replayed',
            subject: request.id ?? `${participantId ?? 'all'}:${from}/${to}`,
            details: {
              count: rows.length,
              ...(request.subscription === undefined ? {} : { subscription: request.subscription }),
              ...(request.status === undefined ? {} : { status: request.status }),
            },
          },
        ]);
      }
      return rows.length;
    });
    return { replayed };
  }
}
