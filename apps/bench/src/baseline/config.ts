/** Which process of the baseline pipeline to run. */
export type Role = 'api' | 'worker';

/** Everything the baseline reads from its environment, checked once at start. */
export interface BaselineConfig {
  role: Role;
  databaseUrl: string;
  amqpUrl: string;
  /** Every exchange and queue name starts with it, so concurrent runs never share a queue. */
  prefix: string;
  worldFile: string;
  /** Only the api listens. */
  port: number;
}

/** The durable queue between the api and the worker. */
export function queueName(prefix: string): string {
  return `${prefix}.baseline.messages`;
}

/** Reads and validates the environment; a bad value stops the start with the variable's name. */
export function loadConfig(argv: readonly string[], env: NodeJS.ProcessEnv): BaselineConfig {
  const role = argv[0];
  if (role !== 'api' && role !== 'worker') throw new Error(`usage: main.js <api|worker> (got "${role}")`);
  return {
    role,
    databaseUrl: required(env, 'BASELINE_DATABASE_URL'),
    amqpUrl: required(env, 'BASELINE_AMQP_URL'),
    prefix: required(env, 'BASELINE_PREFIX'),
    worldFile: required(env, 'BASELINE_WORLD_FILE'),
    port: role === 'api' ? port(required(env, 'BASELINE_PORT')) : 0,
  };
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (value === undefined || value === '') throw new Error(`${name} is required`);
  return value;
}

function port(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > 65535) {
    throw new Error(`BASELINE_PORT must be a TCP port, got "${value}"`);
  }
  return parsed;
}
