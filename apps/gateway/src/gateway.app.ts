import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { configureHttp, installConsole, requestLimitOptions } from '@rdx/api';
import { RdxConfig } from '@rdx/config';
import { BusTransport } from '@rdx/messaging';
import { createLogger, logHttpRequests, nestLogger, requestIdOf, traceHttpRequests } from '@rdx/telemetry';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { GatewayModule, GatewayOptions } from './gateway.module';

export interface RunningGateway {
  app: INestApplication;
  /** The HTTP base URL (a worker-only process serves health and metrics there). */
  url: string;
  /** The process's logger: JSON lines (or pretty ones) with the correlation fields. */
  logger: Logger;
  close(): Promise<void>;
}

export type { GatewayOptions } from './gateway.module';

/** The process's logger, as the configuration says: its level, its format, the gateway's id and roles on each line. */
export function gatewayLogger(config: RdxConfig): Logger {
  return createLogger({
    level: config.logLevel,
    format: config.logFormat,
    base: { gateway: config.gatewayId, roles: config.roles.join('+') },
  });
}

/** Builds and starts a gateway process for the configured roles. */
export async function startGateway(config: RdxConfig, options: GatewayOptions = {}): Promise<RunningGateway> {
  const logger = options.logger ?? gatewayLogger(config);
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    trustProxy: true,
    // The caller's X-Request-Id when it sends a usable one: the id of every line the request logs.
    genReqId: requestIdOf,
    ...requestLimitOptions(),
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    GatewayModule.forRoles(config, options),
    adapter,
    {
      logger: nestLogger(logger),
      // configureHttp installs the only body parsers: JSON with the shared limits, and JOSE.
      bodyParser: false,
    },
  );
  app.enableShutdownHooks();
  logHttpRequests(app.getHttpAdapter().getInstance() as unknown as FastifyInstance, logger);
  configureHttp(app, config);
  // The administrators' console, beside the admin API it calls: on every process that serves the API.
  if (config.roles.includes('api')) await installConsole(app, config);
  traceHttpRequests(app);
  if (config.roles.includes('worker')) {
    app.connectMicroservice({ strategy: app.get(BusTransport) }, { inheritAppConfig: true });
    await app.startAllMicroservices();
  }
  // Every process serves HTTP: a worker-only one just its health, metrics and OpenAPI routes.
  await app.listen(config.port, config.host);
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  return { app, url, logger, close: () => app.close() };
}
