import { Global, Module } from '@nestjs/common';
import { Metrics } from './metrics';

/** Metrics (and, where turned on, tracing) for every module of the process. */
@Global()
@Module({
  providers: [Metrics],
  exports: [Metrics],
})
export class TelemetryModule {}
