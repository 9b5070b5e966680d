import 'reflect-metadata';
import { ConfigError, loadConfig, RdxConfig } from '@rdx/config';
import { createLogger } from '@rdx/telemetry';
import type { Logger } from 'pino';
import { gatewayLogger, startGateway } from './gateway.app';

async function main(): Promise<void> {
  let config: RdxConfig;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    // No configuration to read the log settings from: the one line says why, as JSON.
    return cannotStart(createLogger({ level: 'error', format: 'json' }), error);
  }
  const logger = gatewayLogger(config);
  try {
    for (const { name, suggestion } of config.unknownVariables) {
      logger.warn(
        `${name} is not a setting of RDX and is ignored${suggestion === undefined ? '' : ` (did you mean ${suggestion}?)`}`,
      );
    }
    const gateway = await startGateway(config, { logger });
    logger.info(
      `RDX gateway ${config.gatewayId} running ${config.roles.join(' + ')} on ${config.database.kind} and ${
        config.amqpUrl === undefined ? 'the in-process bus' : 'RabbitMQ'
      }, listening on ${gateway.url.replace('127.0.0.1', config.host)}`,
    );
  } catch (error) {
    cannotStart(logger, error);
  }
}

/** A configuration error is said in a sentence; anything else with its stack, for the operator. */
function cannotStart(logger: Logger, error: unknown): void {
  if (error instanceof ConfigError) logger.fatal(`RDX cannot start: ${error.message}`);
  else logger.fatal({ err: error }, 'RDX cannot start');
  process.exit(1);
}

void main();
