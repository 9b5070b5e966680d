import { randomUUID } from 'node:crypto';
import type { LoggerService } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { Logger as NestPinoLogger, PinoLogger } from 'nestjs-pino';
import pino, { DestinationStream, Logger, LoggerOptions } from 'pino';
import PinoPretty from 'pino-pretty';
import { currentLogFields } from './log-context';

/** How log lines are written: JSON objects, one a line (the default), or for a person reading them. */
export type LogFormat = 'json' | 'pretty';

/** RDX_LOG_LEVEL's words, as pino's levels. */
const LEVELS = { error: 'error', warn: 'warn', log: 'info', debug: 'debug' } as const;

export interface LoggingOptions {
  level: keyof typeof LEVELS;
  format: LogFormat;
  /** Fields on every line of this process (gateway id, roles): no personal data. */
  base?: Record<string, unknown>;
  /** Where lines go; standard output by default. */
  destination?: DestinationStream;
}

/**
 * The process's one pino logger. Each line is a JSON object with `level` (its name), `time` (ISO
 * 8601), `msg`, and the fields of the work at hand (`requestId`, `messageId`, `participantId`,
 * `deliveryId`, `subscriptionId`; see log-context.ts). The logger never receives a request's
 * headers, query string or body, so no token, key, secret or payload field can reach a line by
 * way of it; `redact` is the second lock on the paths that could hold one.
 */
export function createLogger(options: LoggingOptions): Logger {
  const settings: LoggerOptions = {
    level: LEVELS[options.level],
    base: options.base ?? null,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: currentLogFields,
    redact: { paths: REDACTED, censor: '[redacted]' },
  };
  const destination =
    options.destination ??
    (options.format === 'pretty'
      ? PinoPretty({ colorize: process.stdout.isTTY, translateTime: 'SYS:standard', sync: true })
      : pino.destination({ dest: 1, sync: true }));
  return pino(settings, destination);
}

const REDACTED = [
  'authorization',
  'token',
  'secret',
  'webhookSecret',
  'jws',
  'payload',
  'data',
  '*.authorization',
  '*.token',
  '*.secret',
  '*.jws',
  '*.payload',
  '*.data',
  'req.headers',
];

/**
 * A caller's `X-Request-Id` when it is a plain token, else a new one: Fastify's id of the request,
 * which names every line the request logs and comes back in the answer's `X-Request-Id`.
 */
export function requestIdOf(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
}

/**
 * Nest's `Logger` (what the libraries log through) writing to `logger`: nestjs-pino's logger, its
 * message and error formats, without its per-request middleware (the request's lines are
 * http-logging.ts's). nestjs-pino keeps one root logger a process: the first one given here.
 */
export function nestLogger(logger: Logger): LoggerService {
  return new NestPinoLogger(new PinoLogger({ pinoHttp: { logger } }), {});
}
