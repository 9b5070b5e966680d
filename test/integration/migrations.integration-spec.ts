import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDataSource, MIGRATIONS, openAndMigrate } from '@rdx/persistence';
import { DataSource } from 'typeorm';
import { createTestDatabase } from '../support/test-gateway';

type Target = Parameters<typeof createDataSource>[0];

const TABLES = [
  'admin_tokens',
  'audit_head',
  'audit_log',
  'audit_pending',
  'gateway_keys',
  'inbox_counters',
  'inbox_entries',
  'message_links',
  'message_recipients',
  'message_statistics',
  'message_statistics_compacted',
  'message_statistics_months',
  'messages',
  'outbox',
  'participant_keys',
  'participants',
  'refusal_counts',
  'registry_version',
  'reply_deadlines',
  'routing_queue',
  'subscription_types',
  'subscriptions',
  'used_token_ids',
  'webhook_attempts',
  'webhook_deliveries',
];

/** The indexes of the queries, besides those of primary keys and UNIQUE constraints. */
const INDEXES = [
  'message_links_expiring',
  'message_links_thread',
  'message_statistics_month',
  'message_statistics_months_month',
  'messages_unpurged',
  'outbox_available',
  'participant_keys_participant',
  'participants_country',
  'reply_deadlines_missed',
  'reply_deadlines_open',
  'subscriptions_participant',
  'used_token_ids_expiry',
  'webhook_deliveries_due',
  'webhook_deliveries_message',
  'webhook_deliveries_participant',
  'webhook_deliveries_subscription_due',
  'webhook_deliveries_undelivered',
];

/** Every migration's name, in order. */
const ALL = MIGRATIONS.map((m) => new m().name);

/** The tables and indexes of the database, each with its definition: equal when the schemas are. */
async function schemaOf(
  source: DataSource,
): Promise<{ tables: string[]; indexes: string[]; definition: string[] }> {
  if (source.options.type === 'postgres') {
    const tables = await source.query<{ name: string }[]>(
      `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`,
    );
    const indexes = await source.query<{ name: string; definition: string }[]>(
      `SELECT i.indexname AS name, i.indexdef AS definition FROM pg_indexes i
       WHERE i.schemaname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
       ORDER BY 1`,
    );
    const columns = await source.query<{ definition: string }[]>(
      `SELECT concat_ws(' ', table_name, ordinal_position, column_name, data_type, is_nullable, column_default) AS definition
       FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`,
    );
    const constraints = await source.query<{ definition: string }[]>(
      `SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) AS definition
       FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1`,
    );
    return {
      tables: tables.map((t) => t.name),
      indexes: indexes.map((i) => i.name),
      definition: [...columns, ...constraints, ...indexes].map((d) => d.definition),
    };
  }
  const objects = await source.query<{ type: string; name: string; sql: string | null }[]>(
    `SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name`,
  );
  return {
    tables: objects.filter((o) => o.type === 'table').map((o) => o.name),
    indexes: objects.filter((o) => o.type === 'index').map((o) => o.name),
    definition: objects.map((o) => `${o.type} ${o.name} ${o.sql}`),
  };
}

it('runs the baseline first, before any migration that changes the schema after it', () => {
  expect(MIGRATIONS[0].name).toBe('Baseline1796601600000');
});

describe.each(['postgres', 'sqlite'] as const)('the migrations (%s)', (dialect) => {
  const cleanups: (() => Promise<void>)[] = [];

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  const freshTarget = async (): Promise<Target> => {
    if (dialect === 'postgres') {
      const database = await createTestDatabase();
      cleanups.push(() => database.drop());
      return { kind: 'postgres', url: database.url };
    }
    const dir = await mkdtemp(join(tmpdir(), 'rdx-db-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    return { kind: 'sqlite', path: join(dir, 'rdx.sqlite') };
  };

  /** The database of `target`, open and migrated the way a gateway does it at boot. */
  const migrated = async (target: Target): Promise<DataSource> => {
    const source = createDataSource(target);
    cleanups.push(async () => {
      if (source.isInitialized) await source.destroy();
    });
    await openAndMigrate(source);
    return source;
  };

  const applied = async (source: DataSource): Promise<string[]> =>
    (await source.query<{ name: string }[]>('SELECT name FROM rdx_migrations ORDER BY id')).map(
      (m) => m.name,
    );

  it('creates every table and index on an empty database, with the chain head and the registry version', async () => {
    const source = await migrated(await freshTarget());
    const schema = await schemaOf(source);
    expect(schema.tables).toEqual([...TABLES, 'rdx_migrations'].sort());
    expect(schema.indexes).toEqual(INDEXES);
    expect(await applied(source)).toEqual(ALL);
    const [head] = await source.query<{ seq: number | string; hash: string }[]>(
      'SELECT seq, hash FROM audit_head',
    );
    expect({ seq: Number(head.seq), hash: head.hash }).toEqual({ seq: 0, hash: '0'.repeat(64) });
    expect(await source.query('SELECT id, version FROM registry_version')).toEqual([
      { id: 1, version: 'initial' },
    ]);
    for (const table of TABLES.filter((t) => t !== 'audit_head' && t !== 'registry_version'))
      expect([table, await source.query(`SELECT * FROM ${table}`)]).toEqual([table, []]);
  });

  it('changes nothing when the database is migrated again, by another process', async () => {
    const target = await freshTarget();
    const first = await migrated(target);
    const before = await schemaOf(first);
    await first.destroy();
    const again = await migrated(target);
    expect(await schemaOf(again)).toEqual(before);
    expect(await applied(again)).toEqual(ALL);
  });

  it('undoes the index of undelivered webhooks alone', async () => {
    const source = await migrated(await freshTarget());
    // The migrations after it first, then it.
    const after = ALL.length - 1 - ALL.indexOf('UndeliveredWebhooksIndex1796688000000');
    for (let i = 0; i < after; i++) await source.undoLastMigration({ transaction: 'each' });
    const before = await schemaOf(source);
    await source.undoLastMigration({ transaction: 'each' });
    const undone = await schemaOf(source);
    expect(undone.indexes).toEqual(before.indexes.filter((i) => i !== 'webhook_deliveries_undelivered'));
    expect(undone.tables).toEqual(before.tables);
    expect(await applied(source)).toEqual(ALL.slice(0, -1 - after));
  });

  it('is undone whole, leaving only the migrations table, and made again the same', async () => {
    const source = await migrated(await freshTarget());
    const made = await schemaOf(source);
    for (let i = 0; i < ALL.length; i++) await source.undoLastMigration({ transaction: 'each' });
    const undone = await schemaOf(source);
    expect(undone.tables).toEqual(['rdx_migrations']);
    expect(undone.indexes).toEqual([]);
    expect(await applied(source)).toEqual([]);
    if (dialect === 'postgres')
      // The sequences of the outbox and the audit queue go with their tables.
      expect(
        await source.query(
          `SELECT relname FROM pg_class WHERE relkind = 'S' AND relnamespace = 'public'::regnamespace ORDER BY 1`,
        ),
      ).toEqual([{ relname: 'rdx_migrations_id_seq' }]);

    await source.runMigrations({ transaction: 'each' });
    expect(await schemaOf(source)).toEqual(made);
  });
});

describe.each(['postgres', 'sqlite'] as const)('the trace_parent migration (%s)', (dialect) => {
  it('adds a nullable traceparent to messages and webhook deliveries, and its down takes it away', async () => {
    const database = dialect === 'postgres' ? await createTestDatabase() : undefined;
    const dir = await mkdtemp(join(tmpdir(), 'rdx-db-'));
    const source = createDataSource(
      database === undefined
        ? { kind: 'sqlite', path: join(dir, 'rdx.sqlite') }
        : { kind: 'postgres', url: database.url },
    );
    const traced = async () =>
      dialect === 'postgres'
        ? (
            await source.query<{ table: string; nullable: string }[]>(
              `SELECT table_name AS table, is_nullable AS nullable FROM information_schema.columns
               WHERE table_schema = 'public' AND column_name = 'trace_parent' ORDER BY 1`,
            )
          ).map((c) => `${c.table} ${c.nullable}`)
        : (
            await Promise.all(
              ['messages', 'webhook_deliveries'].map(async (table) =>
                (await source.query<{ name: string; notnull: number }[]>(`PRAGMA table_info(${table})`))
                  .filter((c) => c.name === 'trace_parent')
                  .map((c) => `${table} ${c.notnull === 0 ? 'YES' : 'NO'}`),
              ),
            )
          ).flat();
    try {
      await openAndMigrate(source);
      expect(await traced()).toEqual(['messages YES', 'webhook_deliveries YES']);
      // Down to and including this migration, the later ones first.
      const after = ALL.length - 1 - ALL.indexOf('TraceParent1797206400000');
      for (let i = 0; i <= after; i++) await source.undoLastMigration({ transaction: 'each' });
      expect(await traced()).toEqual([]);
      await source.runMigrations({ transaction: 'each' });
      expect(await traced()).toEqual(['messages YES', 'webhook_deliveries YES']);
    } finally {
      await source.destroy();
      await database?.drop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the baseline migration on PostgreSQL, its storage and planner settings', () => {
  let source: DataSource;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const database = await createTestDatabase();
    drop = () => database.drop();
    source = createDataSource({ kind: 'postgres', url: database.url });
    await openAndMigrate(source);
  });

  afterAll(async () => {
    await source.destroy();
    await drop();
  });

  it('keeps whole JWS values in their rows, and tells the planner that a message has a handful of recipients', async () => {
    const columns = await source.query<{ column: string; storage: string; fewPerMessage: boolean }[]>(
      `SELECT a.attrelid::regclass || '.' || a.attname AS column, a.attstorage AS storage,
         COALESCE('n_distinct=-0.1' = ANY (a.attoptions), false) AS "fewPerMessage"
       FROM pg_attribute a
       WHERE a.attrelid IN ('messages'::regclass, 'inbox_entries'::regclass, 'message_recipients'::regclass)
         AND a.attname IN ('jws', 'receipt', 'redacted_jws', 'message_id')
       ORDER BY 1`,
    );
    expect(columns).toEqual([
      { column: 'inbox_entries.message_id', storage: 'x', fewPerMessage: false },
      { column: 'inbox_entries.redacted_jws', storage: 'm', fewPerMessage: false },
      { column: 'message_recipients.message_id', storage: 'x', fewPerMessage: true },
      { column: 'messages.jws', storage: 'm', fewPerMessage: false },
      { column: 'messages.receipt', storage: 'm', fewPerMessage: false },
    ]);
    expect(
      await source.query(`SELECT reloptions FROM pg_class WHERE oid = 'message_recipients'::regclass`),
    ).toEqual([{ reloptions: ['fillfactor=85'] }]);
  });
});
