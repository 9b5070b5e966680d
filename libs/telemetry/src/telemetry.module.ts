import { DynamicModule, Global, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';
import { withLogFields } from './log-context';
import { httpLogging } from './logging';
import { Metrics } from './metrics';
import { SPAN_EXPORTER, Tracing } from './tracing';

/**
 * Logs, metrics (and, where turned on, tracing) for every module of the process: the process's
 * pino logger behind Nest's `Logger` (through nestjs-pino), one log scope a request, the metrics.
 */
@Global()
@Module({
  providers: [Metrics, Tracing],
  exports: [Metrics, Tracing],
})
export class TelemetryModule implements NestModule {
  /** With `spanExporter` (tests: an `InMemorySpanExporter`), tracing is on and exports there. */
  static forRoot(options: { logger: Logger; spanExporter?: SpanExporter }): DynamicModule {
    return {
      module: TelemetryModule,
      imports: [LoggerModule.forRoot(httpLogging(options.logger))],
      providers:
        options.spanExporter === undefined
          ? []
          : [{ provide: SPAN_EXPORTER, useValue: options.spanExporter }],
    };
  }

  /** Each request gets a log scope of its own, which the guards and use cases fill in. */
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply((_request: unknown, _response: unknown, next: () => void) => withLogFields({}, next))
      .forRoutes('*path');
  }
}
