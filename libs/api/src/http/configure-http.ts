import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { RdxConfig } from '@rdx/config';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { RefusalTally } from '@rdx/exchange';
import { Metrics } from '@rdx/telemetry';
import { OpenApiDocument } from './openapi';
import { installPublishMetrics } from './publish-metrics';
import { installRequestLimits } from './request-limits';

/**
 * Fastify settings the protocol needs: the OpenAPI document, compact JWS bodies kept as the
 * exact text received, the limits every request shares (body size, JSON shape, media types,
 * query parameters), and request metrics.
 */
export function configureHttp(app: NestFastifyApplication, config: RdxConfig): void {
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  installRequestLimits(fastify, app.get(OpenApiDocument).build(app), config.bodyLimitBytes);
  fastify.addContentTypeParser(
    'application/jose',
    { parseAs: 'string', bodyLimit: config.bodyLimitBytes },
    (_request: FastifyRequest, body: string | Buffer, done: (error: Error | null, body?: unknown) => void) =>
      done(null, body),
  );
  const metrics = app.get(Metrics);
  fastify.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
    const route = request.routeOptions?.url ?? 'unmatched';
    metrics.httpDuration.observe(
      { method: request.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  installPublishMetrics(fastify, metrics, app.get(RefusalTally));
}
