import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { RdxConfig } from '@rdx/config';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Metrics } from './metrics';
import { OpenApiDocument } from './openapi';
import { requireContentType } from './validation';

const JOSE_ROUTES = new Set(['/v1/messages', '/v1/messages/:id/acks']);

/**
 * Fastify settings the protocol needs: compact JWS bodies kept as the exact text received,
 * the body limit (413), request metrics, and the OpenAPI document.
 */
export function configureHttp(app: NestFastifyApplication, config: RdxConfig): void {
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  fastify.addContentTypeParser(
    'application/jose',
    { parseAs: 'string', bodyLimit: config.bodyLimitBytes },
    (_request: FastifyRequest, body: string | Buffer, done: (error: Error | null, body?: unknown) => void) =>
      done(null, body),
  );
  // The media type is checked before the body is parsed, so a JWS sent as JSON is a 415, not a parse error.
  fastify.addHook('onRequest', async (request: FastifyRequest) => {
    if (request.method === 'POST' && JOSE_ROUTES.has(request.routeOptions?.url ?? ''))
      requireContentType(request, 'application/jose');
  });
  const metrics = app.get(Metrics);
  fastify.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
    const route = request.routeOptions?.url ?? 'unmatched';
    metrics.httpDuration.observe(
      { method: request.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  app.get(OpenApiDocument).build(app);
}
