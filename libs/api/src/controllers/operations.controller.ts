import { Controller, Get, Header, Inject, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RDX_CONFIG, RdxConfig } from '@rdx/config';
import { RdxError } from '@rdx/errors';
import { BusTransport, MessageBus } from '@rdx/messaging';
import { Database } from '@rdx/persistence';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { Metrics } from '@rdx/telemetry';
import { MetricsCollector } from '../http/metrics-collector';
import { OpenApiDocument } from '../http/openapi';

@ApiTags('operations')
@Controller()
export class OperationsController {
  constructor(
    @Inject(RDX_CONFIG) private readonly config: RdxConfig,
    @Inject(Database) private readonly db: Database,
    @Inject(MessageBus) private readonly bus: MessageBus,
    @Inject(BusTransport) private readonly transport: BusTransport,
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
  @ApiOperation({ summary: 'Ready: the database answers and the broker is connected (503 otherwise)' })
  async ready() {
    const database = await this.db.ping().then(
      () => 'up',
      () => 'down',
    );
    // An API process needs its publisher; a worker process needs its consumer.
    const brokerUp =
      (!this.config.roles.includes('api') || this.bus.isReady()) &&
      (!this.config.roles.includes('worker') || this.transport.isConsuming());
    const broker = brokerUp ? 'up' : 'down';
    if (database === 'down' || broker === 'down') {
      throw new RdxError('unavailable', `not ready: database ${database}, broker ${broker}`, {
        retryAfterSeconds: 5,
      });
    }
    return { status: 'ready', database, broker };
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
