import { INestApplication, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { configureHttp, requestLimitOptions } from '@rdx/api';
import { RdxConfig } from '@rdx/config';
import { BusTransport } from '@rdx/messaging';
import { traceHttpRequests } from '@rdx/telemetry';
import { GatewayModule, GatewayOptions } from './gateway.module';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug'];

export interface RunningGateway {
  app: INestApplication;
  /** The HTTP base URL (a worker-only process serves health and metrics there). */
  url: string;
  close(): Promise<void>;
}

/** Builds and starts a gateway process for the configured roles. */
export async function startGateway(config: RdxConfig, options: GatewayOptions = {}): Promise<RunningGateway> {
  const logger = LEVELS.slice(0, LEVELS.indexOf(config.logLevel) + 1);
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    trustProxy: true,
    ...requestLimitOptions(),
  });
  const root = GatewayModule.forRoles(config, options);
  const app = await NestFactory.create<NestFastifyApplication>(root, adapter, {
    logger,
    bufferLogs: false,
    // configureHttp installs the only body parsers: JSON with the shared limits, and JOSE.
    bodyParser: false,
  });
  app.enableShutdownHooks();
  configureHttp(app, config);
  traceHttpRequests(app);
  if (config.roles.includes('worker')) {
    app.connectMicroservice({ strategy: app.get(BusTransport) }, { inheritAppConfig: true });
    await app.startAllMicroservices();
  }
  // Every process serves HTTP: a worker-only one just its health, metrics and OpenAPI routes.
  await app.listen(config.port, config.host);
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  return { app, url, close: () => app.close() };
}
