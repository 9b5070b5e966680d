import { DynamicModule, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { AdminModule } from '@rdx/admin';
import { ApiModule, OperationsModule } from '@rdx/api';
import { ConfigModule, RdxConfig } from '@rdx/config';
import { DeliveryModule } from '@rdx/delivery';
import { ExchangeModule } from '@rdx/exchange';
import { MessagingModule } from '@rdx/messaging';
import { PersistenceModule } from '@rdx/persistence';
import { TelemetryModule } from '@rdx/telemetry';
import type { SpanExporter } from '@opentelemetry/sdk-trace';

/** What a process that embeds the gateway (tests) may choose besides its configuration. */
export interface GatewayOptions {
  /** Traces go here (with a simple processor), whatever OTEL_* says: tests pass an InMemorySpanExporter. */
  spanExporter?: SpanExporter;
  /**
   * The process's logger, when its caller made it already (see gatewayLogger). Nest's own lines
   * go to the first one a process gives (nestjs-pino keeps one root logger).
   */
  logger?: Logger;
}

/** The gateway process: the libraries wired together for the roles it runs. */
@Module({})
export class GatewayModule {
  static forRoles(config: RdxConfig, options: GatewayOptions = {}): DynamicModule {
    const api = config.roles.includes('api');
    const worker = config.roles.includes('worker');
    return {
      module: GatewayModule,
      imports: [
        ConfigModule.forRoot(config),
        TelemetryModule.forRoot({ spanExporter: options.spanExporter }),
        PersistenceModule.forRoot(config.database, { worker }),
        MessagingModule.forRoot({ amqpUrl: config.amqpUrl, prefix: config.amqpPrefix }),
        ExchangeModule.forRoot({ worker }),
        DeliveryModule.forRoot({ worker }),
        AdminModule.forRoot(),
        api ? ApiModule : OperationsModule,
      ],
    };
  }
}
