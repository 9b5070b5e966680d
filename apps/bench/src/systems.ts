import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { topologyNames } from '@rdx/messaging';
import { connect } from 'amqplib';
import { Client, Pool } from 'pg';
import { baselineWorld, World } from './bench-world';
import { answers200, ChildService, ROOT } from './child-service';

export interface Services {
  databaseUrl: string;
  amqpUrl: string;
}

/** Where a message stands in its recipients' inboxes: in how many, and when it reached the last (epoch ms). */
export interface InboxRow {
  messageId: string;
  recipients: number;
  lastAt: number;
}

/** A pipeline under measurement: where to post, and where its inboxes can be read. */
export interface System {
  name: 'gateway' | 'baseline';
  postUrl: string;
  processes: ChildService[];
  /** The messages of `messageIds` in at least one inbox. */
  inboxRows(messageIds: readonly string[]): Promise<InboxRow[]>;
}

/** A database and a broker-name prefix of the run's own, removed afterwards. */
export class Scratch {
  readonly prefix = `rdx-bench-${randomBytes(4).toString('hex')}`;
  readonly database = `rdx_bench_${randomBytes(4).toString('hex')}`;
  pool!: Pool;
  dir!: string;

  constructor(readonly services: Services) {}

  get databaseUrl(): string {
    const url = new URL(this.services.databaseUrl);
    url.pathname = `/${this.database}`;
    return url.toString();
  }

  async create(): Promise<void> {
    await this.admin(`CREATE DATABASE ${this.database}`);
    this.pool = new Pool({ connectionString: this.databaseUrl, max: 4 });
    this.dir = await mkdtemp(join(tmpdir(), 'rdx-bench-'));
  }

  async remove(): Promise<void> {
    await this.pool?.end().catch(() => undefined);
    await this.admin(`DROP DATABASE IF EXISTS ${this.database} WITH (FORCE)`).catch(() => undefined);
    const connection = await connect(this.services.amqpUrl);
    const channel = await connection.createChannel();
    const names = topologyNames(this.prefix);
    for (const queue of [names.queue, names.deadLetterQueue, `${this.prefix}.baseline.messages`])
      await channel.deleteQueue(queue);
    for (const exchange of [names.exchange, names.deadLetterExchange]) await channel.deleteExchange(exchange);
    await channel.close();
    await connection.close();
    if (this.dir !== undefined) await rm(this.dir, { recursive: true, force: true });
  }

  async databaseBytes(): Promise<number> {
    const { rows } = await this.pool.query<{ size: string }>(
      'SELECT pg_database_size(current_database()) AS size',
    );
    return Number(rows[0].size);
  }

  private async admin(sql: string): Promise<void> {
    const client = new Client({ connectionString: this.services.databaseUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  }
}

/** Reads, in chunks of ids, per message: in how many inboxes of `table`, and the last time. */
async function inboxRows(pool: Pool, table: string, ids: readonly string[]): Promise<InboxRow[]> {
  const out: InboxRow[] = [];
  for (let i = 0; i < ids.length; i += 20_000) {
    const { rows } = await pool.query<{ message_id: string; n: string; last_at: string }>(
      `SELECT message_id, count(*) AS n, max(created_at) AS last_at FROM ${table}
       WHERE message_id = ANY($1) GROUP BY message_id`,
      [ids.slice(i, i + 20_000)],
    );
    for (const r of rows)
      out.push({ messageId: r.message_id, recipients: Number(r.n), lastAt: Date.parse(r.last_at) });
  }
  return out;
}

/**
 * The gateway as production runs it: an API process and a worker process on PostgreSQL and
 * RabbitMQ. The rate limit is raised: one simulated agency here sends more than any real one.
 */
export async function startGateway(
  scratch: Scratch,
  adminToken: string,
  profileDir?: string,
): Promise<System & { url: string }> {
  const flags = profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`];
  const port = 18_000 + Math.floor(Math.random() * 1000);
  const common = {
    RDX_HOST: '127.0.0.1',
    RDX_DATABASE_URL: scratch.databaseUrl,
    RDX_AMQP_URL: scratch.services.amqpUrl,
    RDX_AMQP_PREFIX: scratch.prefix,
    RDX_ADMIN_TOKEN: adminToken,
    RDX_GATEWAY_KEY_FILE: join(scratch.dir, 'gateway-key.json'),
    RDX_SHARING_POLICY: join(ROOT, 'config/sharing-policy.json'),
    RDX_RATE_LIMIT: '100000',
    RDX_RATE_BURST: '100000',
    RDX_WEBHOOK_ALLOW_PRIVATE: 'true',
    RDX_LOG_LEVEL: 'warn',
  };
  const entry = 'dist/apps/gateway/src/main.js';
  const api = new ChildService(
    'gateway-api',
    entry,
    [],
    { ...common, RDX_ROLES: 'api', RDX_PORT: String(port) },
    flags,
  );
  const worker = new ChildService(
    'gateway-worker',
    entry,
    [],
    {
      ...common,
      RDX_ROLES: 'worker',
      RDX_PORT: String(port + 1),
      RDX_GATEWAY_KEY_FILE: join(scratch.dir, 'worker-key.json'),
    },
    flags,
  );
  const url = `http://127.0.0.1:${port}`;
  await api.start(answers200(`${url}/health/ready`));
  await worker.start(answers200(`http://127.0.0.1:${port + 1}/health/ready`));
  return {
    name: 'gateway',
    url,
    postUrl: `${url}/v1/messages`,
    processes: [api, worker],
    inboxRows: (ids) => inboxRows(scratch.pool, 'inbox_entries', ids),
  };
}

/** The hand-written pipeline (apps/bench/src/baseline), on the same database and broker. */
export async function startBaseline(scratch: Scratch, world: World): Promise<System> {
  const port = 19_000 + Math.floor(Math.random() * 1000);
  const worldFile = join(scratch.dir, 'baseline-world.json');
  await writeFile(worldFile, JSON.stringify(baselineWorld(world)));
  const env = {
    BASELINE_DATABASE_URL: scratch.databaseUrl,
    BASELINE_AMQP_URL: scratch.services.amqpUrl,
    BASELINE_PREFIX: scratch.prefix,
    BASELINE_WORLD_FILE: worldFile,
    BASELINE_PORT: String(port),
  };
  const entry = 'dist/apps/bench/src/baseline/main.js';
  const api = new ChildService('baseline-api', entry, ['api'], env);
  const worker = new ChildService('baseline-worker', entry, ['worker'], env);
  await api.start(answers200(`http://127.0.0.1:${port}/health`));
  await worker.start(async (output) => /^ready$/m.test(output));
  return {
    name: 'baseline',
    postUrl: `http://127.0.0.1:${port}/v1/messages`,
    processes: [api, worker],
    inboxRows: (ids) => inboxRows(scratch.pool, 'baseline_inbox', ids),
  };
}
