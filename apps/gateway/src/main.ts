import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig } from '@rdx/config';
import { startGateway } from './gateway.app';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = new Logger('Gateway');
  for (const { name, suggestion } of config.unknownVariables) {
    logger.warn(
      `${name} is not a setting of RDX and is ignored${suggestion === undefined ? '' : ` (did you mean ${suggestion}?)`}`,
    );
  }
  const gateway = await startGateway(config);
  logger.log(
    `RDX gateway ${config.gatewayId} running ${config.roles.join(' + ')} on ${config.database.kind} and ${
      config.amqpUrl === undefined ? 'the in-process bus' : 'RabbitMQ'
    }, listening on ${gateway.url.replace('127.0.0.1', config.host)}`,
  );
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(`RDX cannot start: ${error.message}`);
  } else {
    console.error('RDX cannot start:', error);
  }
  process.exit(1);
});
