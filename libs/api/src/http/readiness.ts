import { BeforeApplicationShutdown, Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { RDX_CONFIG, RdxConfig } from '@rdx/config';
import { RdxError } from '@rdx/errors';
import { BusTransport, MessageBus } from '@rdx/messaging';
import { Database, schemaState } from '@rdx/persistence';

/** `GET /health/ready`'s answer when the gateway can accept messages. */
export interface ReadyReport {
  /** `degraded`: accepting, but the broker is down, so what is accepted waits in the outbox. */
  status: 'ready' | 'degraded';
  database: 'up';
  schema: 'current';
  broker: 'up' | 'down';
}

/**
 * Whether this process can do its work now, for a load balancer: it cannot while the database
 * does not answer, while its schema is not the one this code migrates to, or once it is shutting
 * down (so that it is drained before it stops). A broker that is down does not make it unready:
 * messages are still accepted, into the outbox, and go on once the broker is back; taking every
 * instance out of rotation would stop that too. The broker shows in the answer, and in
 * `rdx_broker_up`.
 */
@Injectable()
export class Readiness implements OnModuleDestroy, BeforeApplicationShutdown {
  private shuttingDown = false;

  constructor(
    @Inject(RDX_CONFIG) private readonly config: RdxConfig,
    @Inject(Database) private readonly db: Database,
    @Inject(MessageBus) private readonly bus: MessageBus,
    @Inject(BusTransport) private readonly transport: BusTransport,
  ) {}

  /** The first of Nest's shutdown hooks: from here on, the process answers unready. */
  onModuleDestroy(): void {
    this.shuttingDown = true;
  }

  beforeApplicationShutdown(): void {
    this.shuttingDown = true;
  }

  /** The report, or an `unavailable` problem saying what the gateway lacks. */
  async check(): Promise<ReadyReport> {
    if (this.shuttingDown) throw notReady('the process is shutting down');
    const up = await this.db.ping().then(
      () => true,
      () => false,
    );
    if (!up) throw notReady('the database does not answer');
    const schema = await schemaState(this.db).catch(() => undefined);
    if (schema === undefined) throw notReady('the database has no migrations table');
    if (schema.pending.length > 0)
      throw notReady(`the database lacks migrations of this version: ${schema.pending.join(', ')}`);
    if (schema.unknown.length > 0)
      throw notReady(`the database has migrations of a newer version: ${schema.unknown.join(', ')}`);
    const broker = this.brokerUp() ? 'up' : 'down';
    return { status: broker === 'up' ? 'ready' : 'degraded', database: 'up', schema: 'current', broker };
  }

  /** An API process publishes, a worker process consumes: each link it has must be up. */
  private brokerUp(): boolean {
    return (
      (!this.config.roles.includes('api') || this.bus.isReady()) &&
      (!this.config.roles.includes('worker') || this.transport.isConsuming())
    );
  }
}

function notReady(why: string): RdxError {
  return new RdxError('unavailable', `not ready: ${why}`, { retryAfterSeconds: 5 });
}
