import { RefusalTally } from '@rdx/exchange';
import { Metrics } from '@rdx/telemetry';
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { problemSent } from './problem.filter';

const PUBLISH_ROUTE = '/v1/messages';

/**
 * `rdx_publish_duration_seconds`, from the request's arrival to its answer, by outcome; and the
 * publishes refused before they reached the use case (body too large, wrong media type), which
 * therefore could not read the message: counted with type and source country "unknown". The
 * use case counts the others (`PublishMeter`).
 */
export function installPublishMetrics(fastify: FastifyInstance, metrics: Metrics, tally: RefusalTally): void {
  const reachedHandler = new WeakSet<FastifyRequest>();
  const durations = {
    accepted: metrics.publishDuration.labels('accepted'),
    replayed: metrics.publishDuration.labels('replayed'),
    refused: metrics.publishDuration.labels('refused'),
  };
  const isPublish = (request: FastifyRequest) =>
    request.method === 'POST' && request.routeOptions?.url === PUBLISH_ROUTE;
  // Callback hooks: an async one costs every request a promise.
  fastify.addHook(
    'preHandler',
    (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction) => {
      if (isPublish(request)) reachedHandler.add(request);
      done();
    },
  );
  fastify.addHook(
    'onResponse',
    (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
      if (isPublish(request)) observe(request, reply);
      done();
    },
  );
  function observe(request: FastifyRequest, reply: FastifyReply): void {
    const status = reply.statusCode;
    const outcome = status === 202 ? 'accepted' : status === 200 ? 'replayed' : 'refused';
    durations[outcome].observe(reply.elapsedTime / 1000);
    if (outcome === 'refused' && !reachedHandler.has(request)) {
      const problem = problemSent(reply) ?? 'bad-request';
      metrics.messagesRefused.inc({ type: 'unknown', source_country: 'unknown', problem });
      tally.add('unknown', 'unknown', problem);
    }
  }
}
