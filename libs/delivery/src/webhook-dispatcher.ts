import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { RDX_CONFIG, RdxConfig } from '@rdx/config';
import { Clock } from '@rdx/exchange';
import {
  Database,
  DatabaseUnavailableError,
  WebhookDeliveriesRepository,
  WebhookDeliveryRecord,
} from '@rdx/persistence';
import { DeliverWebhook } from './deliver-webhook.use-case';

const BATCH = 64;
// Deliveries of one subscription go one after another; this many per round keeps its lease short.
const PER_SUBSCRIPTION = 4;
const IDLE_POLL_MS = 200;
const PAUSE_AFTER_FAILURE_MS = 1000;

/**
 * The worker's webhook loop. It leases due deliveries from the database (so several workers
 * share the work, and a dead worker's leases run out for another to take), sends each
 * subscription's deliveries one after another in inbox order, and different subscriptions'
 * deliveries side by side.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('WebhookDispatcher');
  private stopped = true;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(
    @Inject(RDX_CONFIG) private readonly config: RdxConfig,
    @Inject(Database) private readonly db: Database,
    @Inject(WebhookDeliveriesRepository) private readonly deliveries: WebhookDeliveriesRepository,
    @Inject(DeliverWebhook) private readonly deliver: DeliverWebhook,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.stopped = false;
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
  }

  /** Sends what is due once; returns how many deliveries it handled. */
  async dispatchOnce(): Promise<number> {
    const now = this.clock.now();
    // A lease outlives the attempts of one subscription's round, sent one after another.
    const leaseMs = (this.config.webhooks.timeoutMs + 1000) * PER_SUBSCRIPTION + 5000;
    const due = await this.db.transaction((tx) =>
      this.deliveries.claimDue(tx, now.toISOString(), new Date(now.getTime() + leaseMs).toISOString(), BATCH),
    );
    const bySubscription = new Map<string, WebhookDeliveryRecord[]>();
    for (const delivery of due) {
      bySubscription.set(delivery.subscriptionId, [
        ...(bySubscription.get(delivery.subscriptionId) ?? []),
        delivery,
      ]);
    }
    const queues = [...bySubscription.values()].map((queue) => queue.sort((a, b) => a.seq - b.seq));
    await this.deliveries.release(
      this.db,
      queues.flatMap((queue) => queue.slice(PER_SUBSCRIPTION).map((delivery) => delivery.id)),
    );
    await Promise.all(
      queues.map(async (queue) => {
        for (const delivery of queue.slice(0, PER_SUBSCRIPTION)) {
          await this.deliver.execute(delivery).catch((error: unknown) => {
            // Its lease runs out and it is tried again; nothing was recorded.
            this.logger.warn(`delivery ${delivery.id} not attempted: ${(error as Error).message}`);
          });
        }
      }),
    );
    return due.length;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let handled = 0;
      try {
        handled = await this.dispatchOnce();
      } catch (error) {
        if (!(error instanceof DatabaseUnavailableError))
          this.logger.warn(`webhook dispatch paused: ${(error as Error).message}`);
        await this.sleep(PAUSE_AFTER_FAILURE_MS);
        continue;
      }
      if (handled < BATCH) await this.sleep(IDLE_POLL_MS);
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
