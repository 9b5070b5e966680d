import { DynamicModule, Inject, Injectable, Module, OnApplicationBootstrap } from '@nestjs/common';
import { RDX_CONFIG, RdxConfig } from '@rdx/config';
import { GatewaySigner } from '@rdx/crypto';
import { Database, GatewayKeysRepository } from '@rdx/persistence';
import { SchemaRegistry } from '@rdx/schema';
import { AcknowledgeMessage } from './acknowledge-message.use-case';
import { CaseClock } from './case-clock';
import { CaseLinker } from './case-links';
import { Clock } from './clock';
import { GetThread } from './get-thread.use-case';
import { GetMessageStatus } from './get-message-status.use-case';
import { Housekeeping } from './housekeeping';
import { OutboxRelay } from './outbox-relay';
import { PublishMeter } from './publish-meter';
import { RefusalTally } from './refusal-tally';
import { ParticipantAuthenticator } from './participant-authenticator';
import { PublicKeys } from './public-keys.use-case';
import { PublishMessage } from './publish-message.use-case';
import { StoreAcceptedMessages } from './store-accepted-messages';
import { PullInbox } from './pull-inbox.use-case';
import { ReadStatistics } from './read-statistics.use-case';
import { RateLimiter } from './rate-limiter';
import { RecipientResolver } from './recipient-resolver';
import { DeliveriesScheduled } from './deliveries-scheduled';
import { Redaction } from './redaction';
import { RotateWebhookSecret } from './rotate-webhook-secret.use-case';
import { RouteMessage } from './route-message.use-case';
import { RoutingController } from './routing.controller';
import { SharingPolicy } from './sharing-policy';
import { Signers } from './signers';
import { WebhookUrlGuard } from './webhook-url.guard';
import { CreateSubscription } from './create-subscription.use-case';
import { DeleteSubscription } from './delete-subscription.use-case';
import { ListSubscriptions } from './list-subscriptions.use-case';

@Injectable()
class RelayStarter implements OnApplicationBootstrap {
  constructor(@Inject(OutboxRelay) private readonly relay: OutboxRelay) {}

  onApplicationBootstrap(): void {
    this.relay.start();
  }
}

const USE_CASES = [
  AcknowledgeMessage,
  GetMessageStatus,
  GetThread,
  CreateSubscription,
  DeleteSubscription,
  ListSubscriptions,
  ParticipantAuthenticator,
  PublicKeys,
  PublishMessage,
  StoreAcceptedMessages,
  PullInbox,
  ReadStatistics,
  RotateWebhookSecret,
  RouteMessage,
];

/** Publishing, routing, delivery and acknowledgement: the exchange itself. */
@Module({})
export class ExchangeModule {
  /** `worker` adds the broker handler that fills the inboxes. */
  static forRoot(options: { worker: boolean }): DynamicModule {
    return {
      module: ExchangeModule,
      global: true,
      controllers: options.worker ? [RoutingController] : [],
      providers: [
        Clock,
        DeliveriesScheduled,
        RateLimiter,
        Signers,
        RecipientResolver,
        Redaction,
        WebhookUrlGuard,
        OutboxRelay,
        PublishMeter,
        RefusalTally,
        RelayStarter,
        Housekeeping,
        CaseLinker,
        CaseClock,
        ...USE_CASES,
        { provide: SchemaRegistry, useFactory: () => new SchemaRegistry() },
        {
          provide: SharingPolicy,
          inject: [RDX_CONFIG, SchemaRegistry],
          useFactory: (config: RdxConfig, registry: SchemaRegistry) =>
            SharingPolicy.load(config.sharingPolicyFile, registry),
        },
        {
          provide: GatewaySigner,
          inject: [RDX_CONFIG, Database, GatewayKeysRepository, Clock],
          useFactory: async (config: RdxConfig, db: Database, keys: GatewayKeysRepository, clock: Clock) => {
            const signer = await GatewaySigner.loadOrCreate(config.gatewayKeyFile);
            await keys.register(db, signer.kid, signer.publicJwk, clock.now().toISOString());
            return signer;
          },
        },
      ],
      exports: [
        RefusalTally,
        DeliveriesScheduled,
        WebhookUrlGuard,
        Housekeeping,
        CaseClock,
        Clock,
        RateLimiter,
        Signers,
        SchemaRegistry,
        SharingPolicy,
        GatewaySigner,
        OutboxRelay,
        ...USE_CASES,
      ],
    };
  }
}
