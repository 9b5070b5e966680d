import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { RDX_CONFIG, RdxConfig } from '@rdx/config';
import { Clock, DeliveriesScheduled } from '@rdx/exchange';
import {
  Database,
  DatabaseUnavailableError,
  DueDeliveryRecord,
  WebhookDeliveriesRepository,
} from '@rdx/persistence';
import { LogFields, withLogFields } from '@rdx/telemetry';
import { Delivered, DeliverWebhook, DeliveryContext } from './deliver-webhook.use-case';

// Subscriptions served side by side, and deliveries of each per round, sent one after another.
const SUBSCRIPTIONS = 16;
const PER_SUBSCRIPTION = 8;
const PAUSE_AFTER_FAILURE_MS = 1000;
/** A subscription this dispatcher serves. */
interface Held {
  /** Deliveries were scheduled for it here since its due deliveries were last read. */
  scheduled: boolean;
  /** Ends its wait for more: 'more' when deliveries were scheduled, 'leave' to let it go. */
  wake?: (why: 'more' | 'leave') => void;
}

/**
 * The worker's webhook loop. It leases subscriptions with due deliveries from the database (so
 * several workers share the work, and a dead worker's leases run out for another to take),
 * sends each subscription's deliveries one after another in inbox order, and different
 * subscriptions' side by side.
 *
 * Each leased subscription is served on its own: when a round of its deliveries ends, its next
 * due deliveries are read under the same lease and sent at once. When none are left, it stays
 * leased until the next poll, and routing in this process hands it its next deliveries as it
 * commits them: a steady flow to a subscription is served without a claim and a release
 * around every delivery. A busy subscription never waits for a slow one, and a free slot is
 * filled as soon as it frees (a subscription waiting is let go at once when its slot is wanted).
 * A round's deliveries that get through are recorded together, in one statement, rather than
 * one round trip between each POST and the next.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('WebhookDispatcher');
  private stopped = true;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  /** Deliveries were scheduled, or a subscription let go, since the last claim began. */
  private kicked = false;
  /** A subscription's deliveries could not be attempted: pause before claiming again. */
  private failed = false;
  private pausing = false;
  private unlisten: (() => void) | undefined;
  /** The subscriptions this dispatcher serves now. */
  private readonly serving = new Set<Promise<void>>();
  private readonly held = new Map<string, Held>();
  /**
   * The last claim took every free slot, or found none: other subscriptions may have due
   * deliveries waiting for a slot, so none is held with nothing to send.
   */
  private slotsWanted = false;

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
    this.unlisten = this.scheduled.listen((subscriptionIds) => this.scheduledFor(subscriptionIds));
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.unlisten?.();
    this.stopped = true;
    this.wake?.();
    for (const held of this.held.values()) held.wake?.('leave');
    await this.loop;
  }

  private kick(): void {
    this.kicked = true;
    if (!this.pausing) this.wake?.();
  }

  /**
   * Routing here committed deliveries of these subscriptions: those served here go on at once,
   * the others are claimed (and if no slot is free for them, the claim lets go the subscriptions
   * waiting with nothing to send).
   */
  private scheduledFor(subscriptionIds: readonly string[]): void {
    let elsewhere = false;
    for (const id of subscriptionIds) {
      const held = this.held.get(id);
      if (held === undefined) {
        elsewhere = true;
        continue;
      }
      held.scheduled = true;
      held.wake?.('more');
    }
    if (elsewhere) this.kick();
  }

  /** Lets go the subscriptions waiting with nothing to send, and holds none until a claim leaves a slot free. */
  private wantSlots(): void {
    this.slotsWanted = true;
    for (const held of this.held.values()) held.wake?.('leave');
  }

  /** The end of a lease taken now: it outlives one round of attempts, sent one after another. */
  private leaseFrom(now: Date): string {
    return new Date(now.getTime() + this.roundMs() + 5000).toISOString();
  }

  /** The longest a round of attempts can take. */
  private roundMs(): number {
    return (this.config.webhooks.timeoutMs + 1000) * PER_SUBSCRIPTION;
  }

  /** Leases up to `free` subscriptions with due deliveries and starts serving each; returns how many. */
  private async claim(free: number): Promise<number> {
    const now = this.clock.now();
    const leaseUntil = this.leaseFrom(now);
    // By key: a bitmap scan of the due deliveries' index would visit, at every poll, each
    // delivery made since the last vacuum; an index scan marks them dead once.
    const batches = await this.db.transaction(
      (tx) => this.deliveries.claimDue(tx, now.toISOString(), leaseUntil, free, PER_SUBSCRIPTION),
      { planByKeys: true },
    );
    for (const batch of batches) {
      const serving = this.serve(batch, leaseUntil).finally(() => {
        this.serving.delete(serving);
        this.kick();
      });
      this.serving.add(serving);
    }
    return batches.length;
  }

  /**
   * Serves one leased subscription: its rounds one after another, each round's due deliveries
   * read under the lease moved on. When none are due, it waits up to a poll for routing here to
   * schedule more, reads once more, and lets the subscription go if there are still none. A
   * round with deliveries that could not be attempted ends the service (they stay due), and
   * pauses the claiming.
   */
  private async serve(first: readonly DueDeliveryRecord[], leasedUntil: string): Promise<void> {
    const { subscriptionId } = first[0];
    const held: Held = { scheduled: false };
    this.held.set(subscriptionId, held);
    let heldUntil = leasedUntil;
    let batch = first;
    try {
      for (;;) {
        if (batch.length > 0) {
          const unattempted = await this.sendRound(batch);
          if (unattempted > 0) {
            this.logger.warn(`${unattempted} due deliveries of ${subscriptionId} could not be attempted`);
            this.failed = true;
            return;
          }
        }
        if (this.stopped) return;
        // All that was due was read, and nothing was scheduled here since: wait for more, a moment.
        let waited: 'more' | 'leave' | 'quiet' | undefined;
        if (batch.length < PER_SUBSCRIPTION && !held.scheduled) {
          if (this.slotsWanted) return;
          waited = await this.waitForMore(held);
          if (waited === 'leave' || this.stopped) return;
        }
        held.scheduled = false;
        const now = this.clock.now();
        batch = await this.deliveries.dueOf(this.db, subscriptionId, now.toISOString(), PER_SUBSCRIPTION);
        // Nothing after a quiet wait (deliveries scheduled elsewhere, retries come due): let it go.
        if (batch.length === 0 && waited !== 'more') return;
        if (batch.length === 0) continue;
        // The lease outlives the next round as it is: moved on only within its last 5 seconds' margin.
        if (Date.parse(heldUntil) - now.getTime() >= this.roundMs()) continue;
        const leaseUntil = this.leaseFrom(now);
        // The lease ran out meanwhile and another worker holds the subscription: its deliveries are its.
        if (!(await this.deliveries.extendLease(this.db, subscriptionId, heldUntil, leaseUntil))) return;
        heldUntil = leaseUntil;
      }
    } catch (error) {
      if (!(error instanceof DatabaseUnavailableError))
        this.logger.warn(`deliveries of ${subscriptionId} paused: ${(error as Error).message}`);
      this.failed = true;
    } finally {
      this.held.delete(subscriptionId);
      await this.deliveries.releaseSubscription(this.db, subscriptionId, heldUntil).catch(() => undefined);
    }
  }

  /** Until deliveries are scheduled for it here ('more'), a poll passes ('quiet'), or it must go ('leave'). */
  private waitForMore(held: Held): Promise<'more' | 'leave' | 'quiet'> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => done('quiet'), this.config.webhooks.pollMs);
      const done = (why: 'more' | 'leave' | 'quiet') => {
        clearTimeout(timer);
        held.wake = undefined;
        resolve(why);
      };
      held.wake = done;
    });
  }

  /**
   * One subscription's leased deliveries, one after another in inbox order, with what they all
   * need read once. Returns how many could not be attempted (nothing was recorded for them: they
   * stay due, and are tried again after a pause).
   */
  private async sendRound(batch: readonly DueDeliveryRecord[]): Promise<number> {
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
      const outcome = await withLogFields(deliveryFields(delivery), () =>
        this.deliver.execute(delivery, context, delivered).catch((error: unknown) => {
          this.logger.warn(`delivery ${delivery.id} not attempted: ${(error as Error).message}`);
          unattempted++;
        }),
      );
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
      if (this.failed) {
        this.failed = false;
        await this.pause();
        continue;
      }
      this.kicked = false;
      const free = SUBSCRIPTIONS - this.serving.size;
      let claimed = 0;
      if (free > 0) {
        try {
          claimed = await this.claim(free);
        } catch (error) {
          if (!(error instanceof DatabaseUnavailableError))
            this.logger.warn(`webhook dispatch paused: ${(error as Error).message}`);
          await this.pause();
          continue;
        }
      }
      // Every slot taken: the subscriptions waiting with nothing to send make room for the others.
      if (claimed === free) this.wantSlots();
      else this.slotsWanted = false;
      // With every slot taken, or fewer claimed than there was room for: until a kick, or the next poll.
      if ((free === 0 || claimed < free) && !this.kicked) await this.sleep(this.config.webhooks.pollMs);
    }
    await Promise.all(this.serving);
  }

  /** After a failure: new deliveries and freed slots do not cut this short, only shutdown does. */
  private async pause(): Promise<void> {
    this.pausing = true;
    await this.sleep(PAUSE_AFTER_FAILURE_MS);
    this.pausing = false;
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

/** A delivery's ids, on every line logged while it is attempted. */
function deliveryFields(delivery: DueDeliveryRecord): LogFields {
  return {
    deliveryId: delivery.id,
    messageId: delivery.messageId,
    participantId: delivery.participantId,
    subscriptionId: delivery.subscriptionId,
  };
}
