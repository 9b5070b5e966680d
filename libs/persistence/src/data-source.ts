import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseTarget } from '@rdx/config';
import { DataSource } from 'typeorm';
import { Baseline1796601600000 } from './migrations/1796601600000-baseline';
import { TraceParent1797206400000 } from './migrations/1797206400000-trace-parent';

/** Every migration, in order: the baseline, then each change since. */
export const MIGRATIONS = [Baseline1796601600000, TraceParent1797206400000];

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
