import { Inject, Injectable } from '@nestjs/common';
import { MessageBus } from '@rdx/messaging';
import { Database, OutboxRepository } from '@rdx/persistence';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** The Prometheus registry of this process. */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'rdx_http_request_duration_seconds',
    help: 'HTTP requests by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  constructor(
    @Inject(Database) db: Database,
    @Inject(OutboxRepository) outbox: OutboxRepository,
    @Inject(MessageBus) bus: MessageBus,
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'rdx_' });
    new Gauge({
      name: 'rdx_outbox_backlog',
      help: 'Outbox events not yet confirmed by the broker',
      registers: [this.registry],
      async collect() {
        this.set(await outbox.pending(db).catch(() => -1));
      },
    });
    new Gauge({
      name: 'rdx_broker_ready',
      help: '1 when the broker connection is up',
      registers: [this.registry],
      collect() {
        this.set(bus.isReady() ? 1 : 0);
      },
    });
  }
}
