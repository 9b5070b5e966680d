import {
  DynamicModule,
  Global,
  Injectable,
  Logger,
  Module,
  OnApplicationShutdown,
  Provider,
} from '@nestjs/common';
import { AmqpMessageBus } from './amqp-message-bus';
import { AmqpTransport } from './amqp.transport';
import { BusTransport } from './bus.transport';
import { describeError } from './delay.util';
import { InProcessMessageBus } from './in-process-message-bus';
import { InProcessBroker } from './in-process.broker';
import { InProcessTransport } from './in-process.transport';
import { MessageBus } from './message-bus.port';

export interface MessagingModuleOptions {
  /** Unset: the embedded in-process bus. */
  amqpUrl?: string;
  /** Prefix of every exchange and queue name. */
  prefix: string;
}

// Nest closes a connected microservice itself; this also covers processes that only publish, and the
// order: stop consuming (handlers may still publish) before closing the publisher.
@Injectable()
class MessagingShutdown implements OnApplicationShutdown {
  constructor(
    private readonly bus: MessageBus,
    private readonly transport: BusTransport,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.transport.close();
    await this.bus.close();
  }
}

/**
 * Provides `MessageBus` (to publish) and `BusTransport` (the strategy for `app.connectMicroservice`), over
 * RabbitMQ when `amqpUrl` is set and in process otherwise.
 *
 * @example
 * ```ts
 * const app = await NestFactory.create(WorkerModule, new FastifyAdapter());
 * app.connectMicroservice({ strategy: app.get(BusTransport) });
 * await app.startAllMicroservices();
 * ```
 */
@Global()
@Module({})
export class MessagingModule {
  static forRoot(options: MessagingModuleOptions): DynamicModule {
    const { amqpUrl, prefix } = options;
    const providers: Provider[] = amqpUrl
      ? [
          {
            provide: MessageBus,
            useFactory: () => {
              const bus = new AmqpMessageBus({ url: amqpUrl, prefix });
              // Not awaited: the process may start while the broker is down; isReady() tells the truth.
              bus
                .start()
                .catch((error: unknown) => new Logger(MessagingModule.name).warn(describeError(error)));
              return bus;
            },
          },
          { provide: BusTransport, useFactory: () => new AmqpTransport({ url: amqpUrl, prefix }) },
        ]
      : [
          { provide: InProcessBroker, useFactory: () => new InProcessBroker() },
          {
            provide: MessageBus,
            useFactory: (broker: InProcessBroker) => new InProcessMessageBus(broker),
            inject: [InProcessBroker],
          },
          {
            provide: BusTransport,
            useFactory: (broker: InProcessBroker) => new InProcessTransport(broker),
            inject: [InProcessBroker],
          },
        ];
    return {
      module: MessagingModule,
      providers: [...providers, MessagingShutdown],
      exports: amqpUrl ? [MessageBus, BusTransport] : [MessageBus, BusTransport, InProcessBroker],
    };
  }
}
