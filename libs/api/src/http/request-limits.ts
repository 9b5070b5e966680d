import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { Logger } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import { RdxError } from '@rdx/errors';
import { FORBIDDEN_KEYS, parseBoundedJson, storableText } from '@rdx/schema';
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { problemBody, sendProblem } from './problem.filter';

/** The longest query parameter value any route takes (a cursor, a time, a participant id). */
export const QUERY_VALUE_LENGTH = 2048;
/** Query parameters in one request; no route takes more than five. */
export const QUERY_PARAMETERS = 20;

const logger = new Logger('RequestLimits');

/**
 * Fastify options that answer what the router and Node's HTTP parser refuse (a malformed URL,
 * an over-long path segment, oversized headers, a request that never finishes) as RFC 9457
 * problems, like every other refusal.
 */
export function requestLimitOptions(): Pick<FastifyServerOptions, 'frameworkErrors' | 'clientErrorHandler'> {
  return {
    frameworkErrors: (error: Error & { code?: string }, _request: FastifyRequest, reply: FastifyReply) => {
      const detail =
        error.code === 'FST_ERR_MAX_PARAM_LENGTH'
          ? 'a path segment is longer than any identifier the gateway knows'
          : 'the URL is not validly percent-encoded';
      sendProblem(reply, new RdxError('bad-request', detail), logger);
    },
    clientErrorHandler: (error: Error & { code?: string }, socket: Socket) => {
      if (error.code === 'ECONNRESET' || socket.destroyed) return;
      const problem =
        error.code === 'HPE_HEADER_OVERFLOW'
          ? problemBody('headers-too-large', 'the request headers are over the size limit')
          : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
            ? problemBody('request-timeout', 'the request did not arrive in time')
            : problemBody('bad-request', 'the request is not valid HTTP/1.1');
      const body = JSON.stringify(problem);
      if (socket.writable) {
        socket.write(
          `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status]}\r\nContent-Type: application/problem+json\r\n` +
            `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
        );
      }
      socket.destroy();
    },
  };
}

/**
 * Enforces the limits every route shares, once: JSON bodies through `parseBoundedJson`, the
 * media type each operation of the OpenAPI document declares (415), and query parameters and
 * path segments that are each given once, short, and storable text (400).
 */
export function installRequestLimits(
  fastify: FastifyInstance,
  document: OpenAPIObject,
  bodyLimitBytes: number,
): void {
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit: bodyLimitBytes },
    (_request: FastifyRequest, body: Buffer, done: (error: Error | null, body?: unknown) => void) => {
      try {
        // No body at all: a route that needs one says so when it validates.
        done(null, body.length === 0 ? undefined : parseBoundedJson(body, 'bad-request', 'the body'));
      } catch (error) {
        done(error as Error);
      }
    },
  );
  const mediaTypes = mediaTypesByRoute(document);
  fastify.addHook('onRequest', async (request: FastifyRequest) => {
    const route = request.routeOptions?.url;
    if (route === undefined) return;
    const expected = mediaTypes.get(`${request.method} ${route}`);
    if (expected !== undefined) requireMediaType(request, expected);
    checkQuery(request.query);
    checkPathParameters(request.params);
  });
}

/** `POST /v1/messages/:id/acks` → the media types its request body may have. */
export function mediaTypesByRoute(document: OpenAPIObject): Map<string, string[]> {
  const routes = new Map<string, string[]>();
  for (const [path, operations] of Object.entries(document.paths)) {
    const route = path.replace(/\{([^}]+)\}/g, ':$1');
    for (const [method, operation] of Object.entries(operations as Record<string, unknown>)) {
      const content = (operation as { requestBody?: { content?: Record<string, unknown> } })?.requestBody
        ?.content;
      if (content !== undefined) routes.set(`${method.toUpperCase()} ${route}`, Object.keys(content));
    }
  }
  return routes;
}

function requireMediaType(request: FastifyRequest, expected: readonly string[]): void {
  const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (!expected.includes(type)) {
    const shown = type === '' ? '' : `, not ${type.length > 100 ? `${type.slice(0, 100)}...` : type}`;
    throw new RdxError('unsupported-media-type', `send Content-Type: ${expected.join(' or ')}${shown}`);
  }
}

function checkQuery(query: unknown): void {
  if (typeof query !== 'object' || query === null) return;
  const entries = Object.entries(query);
  if (entries.length > QUERY_PARAMETERS) {
    throw new RdxError('bad-request', `the query has more than ${QUERY_PARAMETERS} parameters`);
  }
  for (const [name, value] of entries) {
    const shown = JSON.stringify(name.length > 50 ? `${name.slice(0, 50)}...` : name);
    if (FORBIDDEN_KEYS.has(name) || !storableText(name)) {
      throw new RdxError('bad-request', `the query parameter ${shown} is not allowed`);
    }
    if (typeof value !== 'string') {
      throw new RdxError('bad-request', `the query parameter ${shown} is given more than once`);
    }
    if (value.length > QUERY_VALUE_LENGTH || !storableText(value)) {
      throw new RdxError(
        'bad-request',
        `the query parameter ${shown} is longer than ${QUERY_VALUE_LENGTH} characters or not text`,
      );
    }
  }
}

function checkPathParameters(params: unknown): void {
  if (typeof params !== 'object' || params === null) return;
  for (const value of Object.values(params)) {
    if (typeof value === 'string' && !storableText(value)) {
      throw new RdxError('bad-request', 'a path segment holds a NUL character or is not text');
    }
  }
}
