import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { RDX_CONFIG, RdxConfig } from '@rdx/config';
import { Clock, DeliveriesScheduled } from '@rdx/exchange';
import {
  Database,
  DatabaseUnavailableError,
  WebhookDeliveriesRepository,
  WebhookDeliveryRecord,
} from '@rdx/persistence';
import { Delivered, DeliverWebhook, DeliveryContext } from './deliver-webhook.use-case';

// Subscriptions served side by side in one round, and deliveries of each, sent one after another.
const SUBSCRIPTIONS = 16;
const PER_SUBSCRIPTION = 8;
const PAUSE_AFTER_FAILURE_MS = 1000;

/**
 * The worker's webhook loop. It leases subscriptions with due deliveries from the database (so
 * several workers share the work, and a dead worker's leases run out for another to take),
 * sends each subscription's deliveries one after another in inbox order, and different
 * subscriptions' side by side. A round's deliveries that get through are recorded together,
 * in one statement, rather than one round trip between each POST and the next.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('WebhookDispatcher');
  private stopped = true;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  /** Deliveries were scheduled since the last round began: no idle wait before the next. */
  private kicked = false;
  private unlisten: (() => void) | undefined;

  constructor(
    @Inject(RDX_CONFIG) private readonly config: RdxConfig,
    @Inject(Database) private readonly db: Database,
    @Inject(WebhookDeliveriesRepository) private readonly deliveries: WebhookDeliveriesRepository,
    @Inject(DeliverWebhook) private readonly deliver: DeliverWebhook,
    @Inject(DeliveriesScheduled) private readonly scheduled: DeliveriesScheduled,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.stopped = false;
    this.unlisten = this.scheduled.listen(() => {
      this.kicked = true;
      this.wake?.();
    });
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.unlisten?.();
    this.stopped = true;
    this.wake?.();
    await this.loop;
  }

  /** Sends what is due once; returns how many deliveries it handled. */
  async dispatchOnce(): Promise<number> {
    const now = this.clock.now();
    // The lease outlives one subscription's round of attempts, sent one after another.
    const leaseMs = (this.config.webhooks.timeoutMs + 1000) * PER_SUBSCRIPTION + 5000;
    // By key: a bitmap scan of the due deliveries' index would visit, at every poll, each
    // delivery made since the last vacuum; an index scan marks them dead once.
    const batches = await this.db.transaction(
      (tx) =>
        this.deliveries.claimDue(
          tx,
          now.toISOString(),
          new Date(now.getTime() + leaseMs).toISOString(),
          SUBSCRIPTIONS,
          PER_SUBSCRIPTION,
        ),
      { planByKeys: true },
    );
    let unattempted = 0;
    await Promise.all(
      batches.map(async (batch) => {
        unattempted += await this.sendRound(batch);
        if (batch.length > 0)
          await this.deliveries.releaseSubscription(this.db, batch[0].subscriptionId).catch(() => undefined);
      }),
    );
    if (unattempted > 0) throw new Error(`${unattempted} due deliveries could not be attempted`);
    return batches.reduce((sum, batch) => sum + batch.length, 0);
  }

  /**
   * One subscription's leased deliveries, one after another in inbox order, with what they all
   * need read once. Returns how many could not be attempted (nothing was recorded for them: they
   * stay due, and are tried again after a pause).
   */
  private async sendRound(batch: readonly WebhookDeliveryRecord[]): Promise<number> {
    let context: DeliveryContext;
    try {
      context = await this.deliver.prepare(batch);
    } catch (error) {
      this.logger.warn(`deliveries of ${batch[0].subscriptionId} not attempted: ${(error as Error).message}`);
      return batch.length;
    }
    let unattempted = 0;
    // Those that get through are recorded together, after the round or before any other outcome.
    const delivered: Delivered[] = [];
    for (const delivery of batch) {
      const outcome = await this.deliver.execute(delivery, context, delivered).catch((error: unknown) => {
        this.logger.warn(`delivery ${delivery.id} not attempted: ${(error as Error).message}`);
        unattempted++;
      });
      // The endpoint said 410 Gone: the subscription's pending deliveries were failed with it.
      if (outcome === 'disabled') break;
    }
    // Not recorded, they stay due: sent again, with the same webhook-id, once the lease is released.
    const sent = delivered.length;
    await this.deliver.recordDelivered(delivered).catch((error: unknown) => {
      this.logger.warn(`${sent} webhook deliveries sent but not recorded: ${(error as Error).message}`);
      unattempted += sent;
    });
    return unattempted;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let handled = 0;
      this.kicked = false;
      try {
        handled = await this.dispatchOnce();
      } catch (error) {
        if (!(error instanceof DatabaseUnavailableError))
          this.logger.warn(`webhook dispatch paused: ${(error as Error).message}`);
        await this.sleep(PAUSE_AFTER_FAILURE_MS);
        continue;
      }
      if (handled === 0 && !this.kicked) await this.sleep(this.config.webhooks.pollMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
