import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { DatabaseTarget } from '@rdx/config';
import { AuditChainer } from './audit-chainer';
import { createDataSource, openAndMigrate } from './data-source';
import { Database } from './database';
import { AuditRepository } from './repositories/audit.repository';
import { BacklogRepository } from './repositories/backlog.repository';
import { GatewayKeysRepository } from './repositories/gateway-keys.repository';
import { InboxRepository } from './repositories/inbox.repository';
import { KeysRepository } from './repositories/keys.repository';
import { MessagesRepository } from './repositories/messages.repository';
import { OutboxRepository } from './repositories/outbox.repository';
import { OverviewRepository, RefusalCountsRepository } from './repositories/overview.queries';
import { ParticipantsRepository } from './repositories/participants.repository';
import { StatisticsRepository } from './repositories/statistics.repository';
import { SubscriptionsRepository } from './repositories/subscriptions.repository';
import { ThreadsRepository } from './repositories/threads.repository';
import { TokensRepository } from './repositories/tokens.repository';
import { WebhookDeliveriesRepository } from './repositories/webhook-deliveries.repository';

const REPOSITORIES = [
  AuditRepository,
  BacklogRepository,
  GatewayKeysRepository,
  InboxRepository,
  KeysRepository,
  MessagesRepository,
  OutboxRepository,
  OverviewRepository,
  ParticipantsRepository,
  RefusalCountsRepository,
  StatisticsRepository,
  SubscriptionsRepository,
  ThreadsRepository,
  TokensRepository,
  WebhookDeliveriesRepository,
];

@Injectable()
class DatabaseCloser implements OnApplicationShutdown {
  constructor(@Inject(Database) private readonly db: Database) {}

  async onApplicationShutdown(): Promise<void> {
    await this.db.close();
  }
}

/**
 * The database (migrated at boot) and the repositories over it. A process of the worker role
 * also links the audit queue into the chain (`AuditChainer`), off the API's event loop; a reader
 * of the record links what is queued first, in any process.
 */
@Global()
@Module({})
export class PersistenceModule {
  static forRoot(target: DatabaseTarget, options: { worker: boolean } = { worker: true }): DynamicModule {
    return {
      module: PersistenceModule,
      providers: [
        {
          provide: Database,
          useFactory: async () => {
            const dataSource = createDataSource(target);
            await openAndMigrate(dataSource);
            return new Database(dataSource);
          },
        },
        DatabaseCloser,
        ...(options.worker ? [AuditChainer] : []),
        ...REPOSITORIES,
      ],
      exports: [Database, ...REPOSITORIES],
    };
  }
}
