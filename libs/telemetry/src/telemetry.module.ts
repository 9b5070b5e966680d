import { DynamicModule, Global, Module } from '@nestjs/common';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import { Metrics } from './metrics';
import { SPAN_EXPORTER, Tracing } from './tracing';

/**
 * Metrics and tracing (where turned on) for every module of the process. The logger is the
 * process's own (logging.ts), made before the application.
 */
@Global()
@Module({
  providers: [Metrics, Tracing],
  exports: [Metrics, Tracing],
})
export class TelemetryModule {
  /** With `spanExporter` (tests: an `InMemorySpanExporter`), tracing is on and exports there. */
  static forRoot(options: { spanExporter?: SpanExporter } = {}): DynamicModule {
    return {
      module: TelemetryModule,
      providers:
        options.spanExporter === undefined
          ? []
          : [{ provide: SPAN_EXPORTER, useValue: options.spanExporter }],
    };
  }
}
