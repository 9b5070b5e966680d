import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseTarget } from '@rdx/config';
import { DataSource } from 'typeorm';
import { Database } from './database';
import { PREPARED } from './executor';
import { Baseline1796601600000 } from './migrations/1796601600000-baseline';
import { UndeliveredWebhooksIndex1796688000000 } from './migrations/1796688000000-undelivered-webhooks-index';
import { TraceParent1797206400000 } from './migrations/1797206400000-trace-parent';
import { RefusalCounts1797292800000 } from './migrations/1797292800000-refusal-counts';
import { Threads1797379200000 } from './migrations/1797379200000-threads';
import { MessageStatistics1797465600000 } from './migrations/1797465600000-message-statistics';

/** Every migration, in order: the baseline, then each change since. */
export const MIGRATIONS = [
  Baseline1796601600000,
  UndeliveredWebhooksIndex1796688000000,
  TraceParent1797206400000,
  RefusalCounts1797292800000,
  Threads1797379200000,
  MessageStatistics1797465600000,
];

/** The TypeORM DataSource for a database target (no entities: RDX's SQL lives in its repositories). */
export function createDataSource(target: DatabaseTarget): DataSource {
  if (target.kind === 'postgres') {
    return new DataSource({
      type: 'postgres',
      url: target.url,
      migrations: MIGRATIONS,
      migrationsTableName: 'rdx_migrations',
      synchronize: false,
      // No JIT: RDX's statements are short lookups by key, and on a table without statistics a
      // 1 ms statement can be estimated costly enough to spend 15 ms compiling itself.
      extra: { max: 20, connectionTimeoutMillis: 5000, options: '-c jit=off' },
    });
  }
  if (target.path !== ':memory:') mkdirSync(dirname(target.path), { recursive: true });
  return new DataSource({
    type: 'better-sqlite3',
    database: target.path,
    migrations: MIGRATIONS,
    migrationsTableName: 'rdx_migrations',
    synchronize: false,
    // FULL: a 202 means the commit reached the disk, not just the WAL in memory.
    prepareDatabase: (db: { pragma(source: string): unknown }) => {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 5000');
    },
  });
}

const MIGRATION_LOCK = 7_241_001;

/** Opens the data source and brings the schema up to date, one instance at a time. */
export async function openAndMigrate(dataSource: DataSource): Promise<void> {
  await dataSource.initialize();
  if (dataSource.options.type !== 'postgres') {
    await dataSource.runMigrations({ transaction: 'each' });
    return;
  }
  const lock = dataSource.createQueryRunner();
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await lock.release();
  }
}

/** How the database's schema stands against this code's migrations. */
export interface SchemaState {
  /** Migrations of this code the database has not had (it was restored, or replaced, since boot). */
  pending: string[];
  /** Migrations the database has had that this code does not know (a newer version migrated it). */
  unknown: string[];
}

const MIGRATION_NAMES = MIGRATIONS.map((migration) => new migration().name);

/** Compares the migrations the database has had with this code's, in one small read. */
export async function schemaState(db: Database): Promise<SchemaState> {
  const rows = await db.query<{ name: string }>('SELECT name FROM rdx_migrations', [], PREPARED);
  const applied = new Set(rows.map((row) => row.name));
  return {
    pending: MIGRATION_NAMES.filter((name) => !applied.has(name)),
    unknown: [...applied].filter((name) => !MIGRATION_NAMES.includes(name)),
  };
}
