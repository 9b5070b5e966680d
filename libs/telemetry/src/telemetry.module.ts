import { DynamicModule, Global, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';
import { withLogFields } from './log-context';
import { httpLogging } from './logging';
import { Metrics } from './metrics';

/**
 * Logs, metrics (and, where turned on, tracing) for every module of the process: the process's
 * pino logger behind Nest's `Logger` (through nestjs-pino), one log scope a request, the metrics.
 */
@Global()
@Module({})
export class TelemetryModule implements NestModule {
  static forRoot(logger: Logger): DynamicModule {
    return {
      module: TelemetryModule,
      imports: [LoggerModule.forRoot(httpLogging(logger))],
      providers: [Metrics],
      exports: [Metrics],
    };
  }

  /** Each request gets a log scope of its own, which the guards and use cases fill in. */
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply((_request: unknown, _response: unknown, next: () => void) => withLogFields({}, next))
      .forRoutes('*path');
  }
}
