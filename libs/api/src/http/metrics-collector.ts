import { Inject, Injectable, Logger } from '@nestjs/common';
import { RDX_CONFIG, RdxConfig } from '@rdx/config';
import { EndpointCircuits } from '@rdx/delivery';
import { Clock } from '@rdx/exchange';
import { BusTransport, MessageBus } from '@rdx/messaging';
import { BacklogRepository, Backlogs, Database, KeysRepository, UndeliveredCount } from '@rdx/persistence';
import { Metrics } from '@rdx/telemetry';

const QUEUES = ['outbox', 'routing', 'audit'] as const;

/**
 * Sets the series read at scrape time, just before a scrape: the links to the database and the
 * broker, this worker's open circuits, and what the database holds (queues, undelivered webhook
 * deliveries, key expiries). Each is a read of bounded cost; scrapes that come together share
 * one. While the database does not answer, its series are left out rather than shown stale.
 */
@Injectable()
export class MetricsCollector {
  private readonly logger = new Logger('MetricsCollector');
  private collecting: Promise<void> | undefined;

  constructor(
    @Inject(RDX_CONFIG) private readonly config: RdxConfig,
    @Inject(Metrics) private readonly metrics: Metrics,
    @Inject(Database) private readonly db: Database,
    @Inject(BacklogRepository) private readonly backlog: BacklogRepository,
    @Inject(KeysRepository) private readonly keys: KeysRepository,
    @Inject(MessageBus) private readonly bus: MessageBus,
    @Inject(BusTransport) private readonly transport: BusTransport,
    @Inject(EndpointCircuits) private readonly circuits: EndpointCircuits,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  collect(): Promise<void> {
    this.collecting ??= this.read().finally(() => (this.collecting = undefined));
    return this.collecting;
  }

  private async read(): Promise<void> {
    const m = this.metrics;
    const now = this.clock.now();
    // Only the links this process's roles have: an API publishes, a worker consumes.
    m.brokerUp.reset();
    if (this.config.roles.includes('api')) m.brokerUp.set({ link: 'publisher' }, this.bus.isReady() ? 1 : 0);
    if (this.config.roles.includes('worker'))
      m.brokerUp.set({ link: 'consumer' }, this.transport.isConsuming() ? 1 : 0);
    m.circuitBreakersOpen.set(this.circuits.openCount(now.getTime()));
    const pool = this.db.poolState();
    for (const state of ['total', 'idle', 'waiting'] as const) m.databasePool.set({ state }, pool[state]);

    const up = await this.db.ping().then(
      () => true,
      () => false,
    );
    m.databaseUp.set(up ? 1 : 0);
    const [queues, undelivered, expiries] = up
      ? await Promise.all([
          this.orNothing(() => this.backlog.queues(this.db)),
          this.orNothing(() => this.backlog.undeliveredWebhooks(this.db)),
          this.orNothing(() => this.keys.expiries(this.db, now)),
        ])
      : [];
    this.setQueues(queues, now);
    this.setDeliveries(undelivered);
    m.keyExpiry.reset();
    for (const [participant, seconds] of expiries ?? []) m.keyExpiry.set({ participant }, seconds);
  }

  private setQueues(queues: Backlogs | undefined, now: Date): void {
    this.metrics.queueEntries.reset();
    this.metrics.queueOldestAge.reset();
    if (queues === undefined) return;
    for (const queue of QUEUES) {
      const { entries, oldestAt } = queues[queue];
      this.metrics.queueEntries.set({ queue }, entries);
      const age = oldestAt === null ? 0 : Math.max(0, (now.getTime() - Date.parse(oldestAt)) / 1000);
      this.metrics.queueOldestAge.set({ queue }, Number.isFinite(age) ? age : 0);
    }
  }

  /** Reset first, so that a subscription with nothing left undelivered drops out. */
  private setDeliveries(undelivered: UndeliveredCount[] | undefined): void {
    this.metrics.webhookDeliveries.reset();
    for (const { subscriptionId, participantId, state, count } of undelivered ?? []) {
      this.metrics.webhookDeliveries.set(
        { subscription: subscriptionId, participant: participantId, state },
        count,
      );
    }
  }

  /** A read that failed leaves its series out of this scrape, and says why in the log. */
  private orNothing<T>(read: () => Promise<T>): Promise<T | undefined> {
    return read().catch((error: unknown) => {
      this.logger.warn(`a metrics read failed: ${(error as Error).message}`);
      return undefined;
    });
  }
}
