import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { OperationsController } from './controllers/operations.controller';
import { MetricsCollector } from './http/metrics-collector';
import { OpenApiDocument } from './http/openapi';
import { ProblemFilter } from './http/problem.filter';
import { Readiness } from './http/readiness';

/** Health, metrics and the OpenAPI document: what every process serves, worker-only ones included. */
@Module({
  controllers: [OperationsController],
  providers: [{ provide: APP_FILTER, useClass: ProblemFilter }, MetricsCollector, OpenApiDocument, Readiness],
  exports: [OpenApiDocument],
})
export class OperationsModule {}
