import { Inject, Injectable, Logger } from '@nestjs/common';
import { RDX_CONFIG, RdxConfig } from '@rdx/config';
import { RdxError } from '@rdx/errors';
import { Clock, inboxItem, WebhookUrlGuard } from '@rdx/exchange';
import {
  AuditEntry,
  AuditRepository,
  Database,
  DueDeliveryRecord,
  Executor,
  InboxRepository,
  InboxRow,
  MessagesRepository,
  SubscriptionRecord,
  SubscriptionsRepository,
  WebhookDeliveriesRepository,
  WebhookDeliveryRecord,
  WebhookSecrets,
  writeAtomically,
  writeTogether,
} from '@rdx/persistence';
import { Tracing } from '@rdx/telemetry';
import { AttemptMeter } from './attempt-meter';
import { CircuitBreaker } from './circuit-breaker';
import { PinnedHttpClient } from './pinned-http.client';
import { nextAttemptDelayMs, parseRetryAfter } from './retry-schedule';
import { signWebhook } from './webhook-signature';

export type DeliveryOutcome = 'delivered' | 'retrying' | 'failed' | 'disabled' | 'postponed' | 'gone';

/** What `DeliverWebhook.prepare` reads once for the deliveries of a subscription. */
export interface DeliveryContext {
  subscription?: SubscriptionRecord;
  secrets?: WebhookSecrets;
  items: ReadonlyMap<string, InboxRow>;
}

/** An attempt that got through, not recorded yet: `execute` leaves it to `recordDelivered`. */
export interface Delivered {
  delivery: WebhookDeliveryRecord;
  number: number;
  at: string;
  attempt: { statusCode: number; latencyMs: number; error: null };
}

/** The circuit breaker of this worker process, shared by its deliveries. */
@Injectable()
export class EndpointCircuits extends CircuitBreaker {
  constructor(@Inject(RDX_CONFIG) config: RdxConfig) {
    super(config.webhooks.breakerThreshold, config.webhooks.breakerOpenMs);
  }
}

/**
 * One attempt of one webhook delivery (PROTOCOL.md section 5): the inbox item, signed per
 * Standard Webhooks v1 with the subscription's secret (and its previous one during a rotation),
 * POSTed to an address that passed the SSRF checks just now. Any 2xx delivers; 410 disables the
 * subscription; anything else is tried again on the schedule, honouring Retry-After on 429 and
 * 503, until the schedule is spent and the delivery fails.
 */
@Injectable()
export class DeliverWebhook {
  private readonly logger = new Logger('DeliverWebhook');

  constructor(
    @Inject(RDX_CONFIG) private readonly config: RdxConfig,
    @Inject(Database) private readonly db: Database,
    @Inject(WebhookDeliveriesRepository) private readonly deliveries: WebhookDeliveriesRepository,
    @Inject(SubscriptionsRepository) private readonly subscriptions: SubscriptionsRepository,
    @Inject(MessagesRepository) private readonly messages: MessagesRepository,
    @Inject(InboxRepository) private readonly inbox: InboxRepository,
    @Inject(AuditRepository) private readonly audit: AuditRepository,
    @Inject(WebhookUrlGuard) private readonly urls: WebhookUrlGuard,
    @Inject(PinnedHttpClient) private readonly http: PinnedHttpClient,
    @Inject(EndpointCircuits) private readonly circuits: EndpointCircuits,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(AttemptMeter) private readonly attempts: AttemptMeter,
    @Inject(Tracing) private readonly tracing: Tracing,
  ) {}

  /**
   * What the deliveries of one subscription all need, read once for all of them (`execute`): the
   * subscription with its secrets, and the items, as the recipient would pull them (its redacted
   * copy, where the policy strips fields for it). The two reads go side by side, each on its own
   * connection; the number of each one's last attempt came with the due deliveries.
   */
  async prepare(deliveries: readonly DueDeliveryRecord[]): Promise<DeliveryContext> {
    const [first] = deliveries;
    if (first === undefined) return { items: new Map() };
    if (deliveries.some((d) => d.subscriptionId !== first.subscriptionId))
      throw new Error('deliveries of one subscription are prepared together, not of several');
    const [found, items] = await Promise.all([
      this.subscriptions.withSecrets(this.db, first.subscriptionId),
      this.inbox.items(
        this.db,
        first.participantId,
        deliveries.map((d) => d.messageId),
      ),
    ]);
    return { subscription: found?.subscription, secrets: found?.secrets, items };
  }

  /**
   * One attempt of `delivery`, with what `prepare` read for it (by default, for it alone).
   *
   * With `deferred`, an attempt that gets through is added to it instead of being recorded at
   * once, so that a subscription's successful deliveries are recorded together
   * (`recordDelivered`): any other outcome records those first, so the records keep the
   * attempts' order. Until they are recorded the deliveries stay due: a crash meanwhile sends
   * them again, with the same `webhook-id`.
   */
  async execute(
    delivery: DueDeliveryRecord,
    context?: DeliveryContext,
    deferred?: Delivered[],
  ): Promise<DeliveryOutcome> {
    const { subscription, secrets, items } = context ?? (await this.prepare([delivery]));
    // Any outcome but a delivery is recorded after the attempts before it that got through.
    const delivered = deferred ?? [];
    const item = items.get(delivery.messageId);
    if (subscription === undefined || secrets === undefined || item === undefined) return 'gone';
    // The delivery is leased to this dispatcher: no other records an attempt of it meanwhile.
    const number = delivery.lastAttempt + 1;
    if (subscription.status !== 'active' || item.purgedAt !== null) {
      const why =
        subscription.status !== 'active' ? 'the subscription is disabled' : 'retention purged the message';
      await this.finish(
        delivery,
        number,
        { statusCode: null, latencyMs: 0, error: why },
        'failed',
        delivered,
      );
      return 'failed';
    }
    const url = new URL(subscription.webhookUrl!);
    const now = this.clock.now();
    const openUntil = this.circuits.openUntil(url.origin, now.getTime());
    if (openUntil !== undefined) {
      await this.recordDelivered(delivered);
      await this.deliveries.postpone(this.db, delivery.id, new Date(openUntil).toISOString());
      return 'postponed';
    }

    let checked;
    const started = performance.now();
    try {
      checked = await this.urls.check(url.toString());
    } catch (error) {
      if (!(error instanceof RdxError)) throw error;
      this.attempts.failed(subscription.id, error, started);
      return this.failedAttempt(
        delivery,
        number,
        { statusCode: null, latencyMs: 0, error: error.detail },
        undefined,
        url.origin,
        delivered,
      );
    }
    const body = JSON.stringify(inboxItem(item));
    const timestamp = Math.floor(now.getTime() / 1000);
    const keys = [secrets.current];
    if (
      secrets.previous !== null &&
      secrets.previousExpiresAt !== null &&
      secrets.previousExpiresAt > now.toISOString()
    ) {
      keys.push(secrets.previous);
    }
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'RDX-Gateway/1',
      'webhook-id': delivery.id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': keys.map((key) => signWebhook(key, delivery.id, timestamp, body)).join(' '),
    };
    // A CLIENT span of the message's trace, whose traceparent the receiving agency may join.
    const traced = this.tracing.enabled
      ? this.tracing.startWebhookAttempt(delivery.traceParent, {
          url,
          number,
          subscriptionId: delivery.subscriptionId,
          deliveryId: delivery.id,
          messageId: delivery.messageId,
        })
      : undefined;
    let outcome;
    try {
      outcome = await this.http.post(
        checked.url,
        checked.addresses[0],
        traced === undefined ? headers : { ...headers, traceparent: traced.traceParent },
        body,
        this.config.webhooks.timeoutMs,
      );
    } catch (error) {
      this.attempts.failed(subscription.id, error, started);
      traced?.end(error);
      return this.failedAttempt(
        delivery,
        number,
        { statusCode: null, latencyMs: 0, error: (error as Error).message },
        undefined,
        url.origin,
        delivered,
      );
    }
    this.attempts.answered(subscription.id, outcome.status, started);
    if (traced !== undefined) this.tracing.endWebhookAttempt(traced, outcome.status);
    const attempt = { statusCode: outcome.status, latencyMs: outcome.latencyMs, error: null };
    if (outcome.status >= 200 && outcome.status < 300) {
      this.circuits.succeeded(url.origin);
      delivered.push({ delivery, number, at: this.clock.now().toISOString(), attempt });
      if (deferred === undefined) await this.recordDelivered(delivered);
      return 'delivered';
    }
    if (outcome.status === 410) {
      await this.disable(delivery, number, attempt, delivered);
      return 'disabled';
    }
    const retryAfter =
      outcome.status === 429 || outcome.status === 503 ? parseRetryAfter(outcome.retryAfter, now) : undefined;
    return this.failedAttempt(
      delivery,
      number,
      { ...attempt, error: `HTTP ${outcome.status}` },
      retryAfter,
      url.origin,
      delivered,
    );
  }

  /**
   * Records attempts that got through (`execute`), together: on PostgreSQL one statement,
   * atomic by itself. Empties `delivered`.
   */
  async recordDelivered(delivered: Delivered[]): Promise<void> {
    if (delivered.length === 0) return;
    const done = delivered.splice(0);
    await writeAtomically(this.db, [
      ...done.flatMap(({ delivery, number, at, attempt }) =>
        this.deliveries.recordAttemptWrites(
          { deliveryId: delivery.id, attempt: number, at, ...attempt },
          { status: 'delivered' },
        ),
      ),
      ...done.flatMap(({ delivery, at }) =>
        this.messages.deliveredWrites(
          this.db,
          [{ messageId: delivery.messageId, participantId: delivery.participantId }],
          at,
        ),
      ),
      ...this.audit.appendWrites(
        this.db,
        done.map(({ delivery, number, at }) =>
          this.entry(delivery, at, 'message.delivered', { channel: 'webhook', attempt: number }),
        ),
      ),
    ]);
  }

  private async failedAttempt(
    delivery: WebhookDeliveryRecord,
    number: number,
    attempt: { statusCode: number | null; latencyMs: number; error: string },
    retryAfterSeconds: number | undefined,
    endpoint: string,
    delivered: Delivered[],
  ): Promise<DeliveryOutcome> {
    const now = this.clock.now();
    this.circuits.failed(endpoint, now.getTime());
    const delay = nextAttemptDelayMs(
      delivery.attempts + 1,
      this.config.webhooks.retryDelaysSeconds,
      retryAfterSeconds,
    );
    if (delay === undefined) {
      await this.finish(delivery, number, attempt, 'failed', delivered);
      return 'failed';
    }
    await this.finish(
      delivery,
      number,
      attempt,
      'pending',
      delivered,
      new Date(now.getTime() + delay).toISOString(),
    );
    return 'retrying';
  }

  /**
   * Records attempt `number`, one that did not get through, and what follows from it: with the
   * recipient's state and the audit record when it failed for good. The attempts before it that
   * got through (`delivered`) are recorded first. One to be tried again is one statement on
   * PostgreSQL, atomic by itself: one round trip.
   */
  private async finish(
    delivery: WebhookDeliveryRecord,
    number: number,
    attempt: { statusCode: number | null; latencyMs: number; error: string | null },
    status: 'failed' | 'pending',
    delivered: Delivered[],
    nextAttemptAt?: string,
  ): Promise<void> {
    await this.recordDelivered(delivered);
    const at = this.clock.now().toISOString();
    const recorded = this.deliveries.recordAttemptWrites(
      { deliveryId: delivery.id, attempt: number, at, ...attempt },
      status === 'pending' ? { status, nextAttemptAt: nextAttemptAt! } : { status },
    );
    if (status === 'pending') {
      await writeAtomically(this.db, recorded);
      return;
    }
    await this.db.transaction(async (tx) => {
      await writeTogether(tx, recorded);
      // Read after the attempt is recorded: this delivery counts among the recipient's failed ones.
      await this.settleFailure(tx, delivery.messageId, delivery.participantId);
      await this.audit.append(tx, [
        this.entry(delivery, at, 'message.delivery-failed', { channel: 'webhook', attempts: number }),
      ]);
    });
    this.logger.warn(`webhook delivery ${delivery.id} failed after ${delivery.attempts + 1} attempt(s)`);
  }

  /** 410 Gone: the receiver wants no more. The subscription stops, and its pending deliveries fail. */
  private async disable(
    delivery: WebhookDeliveryRecord,
    number: number,
    attempt: { statusCode: number; latencyMs: number; error: null },
    delivered: Delivered[],
  ): Promise<void> {
    // The deliveries before it that got through are recorded, not failed with the subscription.
    await this.recordDelivered(delivered);
    const at = this.clock.now().toISOString();
    const reason = 'the endpoint answered 410 Gone';
    await this.db.transaction(async (tx) => {
      await this.deliveries.recordAttempt(
        tx,
        { deliveryId: delivery.id, attempt: number, at, ...attempt },
        { status: 'failed' },
      );
      await this.subscriptions.disable(tx, delivery.subscriptionId, reason);
      const failed = [
        delivery.messageId,
        ...(await this.deliveries.failPendingOf(tx, delivery.subscriptionId, at, reason)),
      ];
      for (const messageId of new Set(failed))
        await this.settleFailure(tx, messageId, delivery.participantId);
      await this.audit.append(tx, [
        {
          at,
          actor: this.config.gatewayId,
          action: 'subscription.disabled',
          subject: delivery.subscriptionId,
          details: { reason },
        },
      ]);
    });
    this.logger.warn(`subscription ${delivery.subscriptionId} disabled: ${reason}`);
  }

  /** A recipient fails only when none of its webhook deliveries of the message got through or is still going. */
  private async settleFailure(tx: Executor, messageId: string, participantId: string): Promise<void> {
    if ((await this.deliveries.outcomeFor(tx, messageId, participantId)) === 'failed') {
      await this.messages.markFailed(tx, messageId, participantId);
    }
  }

  private entry(
    delivery: WebhookDeliveryRecord,
    at: string,
    action: string,
    details: Record<string, unknown>,
  ): AuditEntry {
    return {
      at,
      actor: this.config.gatewayId,
      action,
      subject: delivery.messageId,
      details: { recipient: delivery.participantId, delivery: delivery.id, ...details },
    };
  }
}
