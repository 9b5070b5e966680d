import { Controller, Get, Header, Inject, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RDX_CONFIG, RdxConfig } from '@rdx/config';
import { RdxError } from '@rdx/errors';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { Metrics } from '@rdx/telemetry';
import { MetricsCollector } from '../http/metrics-collector';
import { OpenApiDocument } from '../http/openapi';
import { Readiness } from '../http/readiness';

@ApiTags('operations')
@Controller()
export class OperationsController {
  constructor(
    @Inject(RDX_CONFIG) private readonly config: RdxConfig,
    @Inject(Readiness) private readonly readiness: Readiness,
    @Inject(Metrics) private readonly metrics: Metrics,
    @Inject(MetricsCollector) private readonly collector: MetricsCollector,
    @Inject(OpenApiDocument) private readonly openApi: OpenApiDocument,
  ) {}

  @Get('health/live')
  @ApiOperation({ summary: 'The process is up' })
  live() {
    return { status: 'ok' };
  }

  @Get('health/ready')
  @ApiOperation({
    summary:
      'Ready to accept messages: 200 while the database answers with the current schema, the broker up or not (then "status": "degraded", "broker": "down": accepted messages wait in the outbox); 503 when the database does not answer, its schema is not this version\'s, or the process is shutting down',
  })
  ready() {
    return this.readiness.check();
  }

  @Get('metrics')
  @ApiOperation({ summary: 'Prometheus metrics' })
  async metricsText(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const token = this.config.metricsToken;
    if (token !== undefined) {
      const given = Buffer.from(request.headers.authorization ?? '');
      const expected = Buffer.from(`Bearer ${token}`);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new RdxError('invalid-token', 'metrics take the bearer token set in RDX_METRICS_TOKEN');
      }
    }
    await this.collector.collect();
    await reply.type(this.metrics.registry.contentType).send(await this.metrics.registry.metrics());
  }

  @Get('openapi.json')
  @Header('content-type', 'application/json')
  @ApiExcludeEndpoint()
  openapi() {
    return this.openApi.document;
  }
}
