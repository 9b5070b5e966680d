import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseTarget } from '@rdx/config';
import { DataSource } from 'typeorm';
import { ExchangeCore1764230400000 } from './migrations/1764230400000-exchange-core';
import { StalledDeliveries1764234000000 } from './migrations/1764234000000-stalled-deliveries';
import { WebhookDelivery1764237600000 } from './migrations/1764237600000-webhook-delivery';
import { WebhookDispatchLease1764241200000 } from './migrations/1764241200000-webhook-dispatch-lease';
import { Retention1764244800000 } from './migrations/1764244800000-retention';
import { RedactedCopies1764248400000 } from './migrations/1764248400000-redacted-copies';
import { AuditQueue1764252000000 } from './migrations/1764252000000-audit-queue';
import { SubscriptionsVersion1764255600000 } from './migrations/1764255600000-subscriptions-version';
import { LeanerRecipients1764259200000 } from './migrations/1764259200000-leaner-recipients';
import { CanonicalAuditDetails1764262800000 } from './migrations/1764262800000-canonical-audit-details';
import { RegistryVersion1764266400000 } from './migrations/1764266400000-registry-version';
import { InlineMessageBodies1764270000000 } from './migrations/1764270000000-inline-message-bodies';
import { PendingByAcceptance1764273600000 } from './migrations/1764273600000-pending-by-acceptance';
import { RoutingQueue1764277200000 } from './migrations/1764277200000-routing-queue';
import { OutboxBatches1764280800000 } from './migrations/1764280800000-outbox-batches';
import { AuditQueueBatches1764284400000 } from './migrations/1764284400000-audit-queue-batches';
import { UnusedSourceIndex1764288000000 } from './migrations/1764288000000-unused-source-index';
import { CountersWithParticipants1764291600000 } from './migrations/1764291600000-counters-with-participants';
import { DueDeliveriesBySubscription1764295200000 } from './migrations/1764295200000-due-deliveries-by-subscription';

/** Every migration, in order. */
export const MIGRATIONS = [
  ExchangeCore1764230400000,
  StalledDeliveries1764234000000,
  WebhookDelivery1764237600000,
  WebhookDispatchLease1764241200000,
  Retention1764244800000,
  RedactedCopies1764248400000,
  AuditQueue1764252000000,
  SubscriptionsVersion1764255600000,
  LeanerRecipients1764259200000,
  CanonicalAuditDetails1764262800000,
  RegistryVersion1764266400000,
  InlineMessageBodies1764270000000,
  PendingByAcceptance1764273600000,
  RoutingQueue1764277200000,
  OutboxBatches1764280800000,
  AuditQueueBatches1764284400000,
  UnusedSourceIndex1764288000000,
  CountersWithParticipants1764291600000,
  DueDeliveriesBySubscription1764295200000,
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
