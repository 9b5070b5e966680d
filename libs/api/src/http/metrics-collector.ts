import { Inject, Injectable } from '@nestjs/common';
import { MessageBus } from '@rdx/messaging';
import { Database, OutboxRepository } from '@rdx/persistence';
import { Metrics } from '@rdx/telemetry';

/** Sets the series read at scrape time (the database's and the broker's state) just before a scrape. */
@Injectable()
export class MetricsCollector {
  constructor(
    @Inject(Metrics) private readonly metrics: Metrics,
    @Inject(Database) private readonly db: Database,
    @Inject(OutboxRepository) private readonly outbox: OutboxRepository,
    @Inject(MessageBus) private readonly bus: MessageBus,
  ) {}

  async collect(): Promise<void> {
    this.metrics.queueEntries.set({ queue: 'outbox' }, await this.outbox.pending(this.db).catch(() => -1));
    this.metrics.brokerUp.set({ link: 'publisher' }, this.bus.isReady() ? 1 : 0);
  }
}
