import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '@rdx/config';
import { topologyNames } from '@rdx/messaging';
import { connect } from 'amqplib';
import { Client } from 'pg';
import { RunningGateway, startGateway } from '../../apps/gateway/src/gateway.app';
import { GatewayOptions } from '../../apps/gateway/src/gateway.module';

export type Backend = 'embedded' | 'production';
export const BACKENDS: Backend[] = ['embedded', 'production'];

export const TEST_DATABASE_URL =
  process.env.RDX_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_AMQP_URL = process.env.RDX_TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

const unique = () => randomBytes(6).toString('hex');

/** A database of its own on the test PostgreSQL server, dropped afterwards. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `rdx_test_${unique()}`;
  const admin = new Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** Deletes the exchanges and queues a test run made under its prefix. */
export async function deleteBrokerTopology(prefix: string): Promise<void> {
  const names = topologyNames(prefix);
  const connection = await connect(TEST_AMQP_URL);
  const channel = await connection.createChannel();
  await channel.deleteQueue(names.queue);
  await channel.deleteQueue(names.deadLetterQueue);
  await channel.deleteExchange(names.exchange);
  await channel.deleteExchange(names.deadLetterExchange);
  await channel.close();
  await connection.close();
}

export interface TestGateway {
  backend: Backend;
  url: string;
  adminToken: string;
  gatewayId: string;
  env: Record<string, string>;
  running: RunningGateway;
  /** Stops the process but keeps its database and broker state, to start again. */
  stop(): Promise<void>;
  /** Starts the same gateway again (same database, broker prefix, keys). */
  restart(overrides?: Record<string, string>): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts a real gateway in this process on a backend of its own: a temporary SQLite file and
 * the in-process bus, or a fresh PostgreSQL database and a RabbitMQ prefix of its own.
 */
export async function startTestGateway(
  backend: Backend,
  overrides: Record<string, string> = {},
  options: GatewayOptions = {},
): Promise<TestGateway> {
  const dir = await mkdtemp(join(tmpdir(), 'rdx-e2e-'));
  const adminToken = `rdx_test_${randomBytes(24).toString('base64url')}`;
  const prefix = `rdxtest-${unique()}`;
  const database = backend === 'production' ? await createTestDatabase() : undefined;
  const env: Record<string, string> = {
    RDX_PORT: '0',
    RDX_HOST: '127.0.0.1',
    RDX_ADMIN_TOKEN: adminToken,
    RDX_GATEWAY_KEY_FILE: join(dir, 'gateway-key.json'),
    RDX_SHARING_POLICY: resolve(__dirname, '../../config/sharing-policy.json'),
    RDX_LOG_LEVEL: 'error',
    RDX_OUTBOX_SWEEP_AFTER_MS: '2000',
    ...(database === undefined
      ? { RDX_DATABASE_URL: `sqlite:${join(dir, 'rdx.sqlite')}` }
      : { RDX_DATABASE_URL: database.url, RDX_AMQP_URL: TEST_AMQP_URL, RDX_AMQP_PREFIX: prefix }),
    ...overrides,
  };
  const gateway: TestGateway = {
    backend,
    url: '',
    adminToken,
    gatewayId: env.RDX_GATEWAY_ID ?? 'rdx-gateway',
    env,
    running: undefined as unknown as RunningGateway,
    async stop() {
      await gateway.running.close();
    },
    async restart(more = {}) {
      Object.assign(env, more);
      gateway.running = await startGateway(loadConfig(env), options);
      gateway.url = gateway.running.url!;
    },
    async close() {
      await gateway.running.close().catch(() => undefined);
      await database?.drop();
      if (env.RDX_AMQP_URL !== undefined) await deleteBrokerTopology(prefix).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
  await gateway.restart();
  return gateway;
}
