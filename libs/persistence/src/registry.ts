import { randomUUID } from 'node:crypto';
import { Database, databaseOf } from './database';
import { Executor, PREPARED } from './executor';
import { Prelude } from './transaction-control';
import { Write } from './writes';

/**
 * The registry (participants, their keys, subscriptions) is read on every publish and every
 * routing, and changes rarely. Every change to it sets a new version token, in the change's own
 * transaction; a process keeps what it read in memory with the token it read it at, and reads it
 * again once the token has moved. A reader thus sees every change committed before its
 * transaction read the token, as if it had read the tables itself.
 *
 * The token is random, not a counter: a change rolled back never leaves behind a number that a
 * later change would reuse for other contents.
 */
const versionsRead = new WeakMap<Executor, Promise<string>>();
/** The version each database was last read at, by any reader of this process. */
const lastRead = new WeakMap<Database, string>();
/** Executors that answer registry reads from memory only (`registryInMemory`). */
const memoryOnly = new WeakSet<Executor>();

/** The registry's version as `ex` sees it: read once per transaction, and on every call outside one. */
export function registryVersion(ex: Executor): Promise<string> {
  if (ex instanceof Database) return readVersion(ex);
  let version = versionsRead.get(ex);
  if (version === undefined) {
    version = readVersion(ex);
    versionsRead.set(ex, version);
  }
  return version;
}

/** Marks a change to the registry: to be called in the transaction that makes it. */
export async function registryChanged(ex: Executor): Promise<void> {
  await ex.execute('UPDATE registry_version SET version = ? WHERE id = 1', [randomUUID()], PREPARED);
  versionsRead.delete(ex);
}

const READ_VERSION = 'SELECT version FROM registry_version WHERE id = 1';

async function readVersion(ex: Executor): Promise<string> {
  const [row] = await ex.query<{ version: string }>(READ_VERSION, [], PREPARED);
  return noteRead(ex, row.version);
}

function noteRead(ex: Executor, version: string): string {
  const db = databaseOf(ex);
  if (db !== undefined) lastRead.set(db, version);
  return version;
}

/** A registry read that `registryInMemory`'s executor cannot answer from memory. */
export class RegistryNotInMemory extends Error {
  override readonly name = 'RegistryNotInMemory';
}

/**
 * The registry as this process last read it from `db`, for a write that needs no other read:
 * an executor for the repositories' registry reads (`findMany`, `forTypes`), which answers them
 * from memory at that version or throws `RegistryNotInMemory`, and the write to run first in the
 * same statement (`writeTogether`), named `REGISTRY_UNCHANGED`, whose one row says the registry
 * is still at that version. The other writes of the statement must depend on that row: if the
 * registry has changed since, nothing is written and the caller does it again the long way.
 * Undefined before the first read.
 */
export function registryInMemory(db: Database): RegistryInMemory | undefined {
  const version = lastRead.get(db);
  if (version === undefined) return undefined;
  const refuse = () =>
    Promise.reject(new RegistryNotInMemory('the registry is not in memory at this version'));
  const ex: Executor = { dialect: db.dialect, query: refuse, execute: refuse };
  memoryOnly.add(ex);
  versionsRead.set(ex, Promise.resolve(version));
  return {
    ex,
    unchanged: {
      name: REGISTRY_UNCHANGED,
      sql: `${READ_VERSION} AND version = ?`,
      params: [version],
      prepare: true,
    },
  };
}

/** `registryInMemory`'s answer: reads from memory at one version, and the guard on that version. */
export interface RegistryInMemory {
  ex: Executor;
  unchanged: Write;
}

/** The name of `registryInMemory`'s guard: `EXISTS (SELECT FROM registry_unchanged)`. */
export const REGISTRY_UNCHANGED = 'registry_unchanged';

/**
 * For a transaction that reads the registry (`Database.transaction`'s `prelude`): its version,
 * read with the transaction's BEGIN rather than in a round trip of its own.
 */
export const READS_REGISTRY: Prelude = {
  sql: READ_VERSION,
  read(tx, [row]) {
    versionsRead.set(tx, Promise.resolve(noteRead(tx, String(row.version))));
  },
};

/** A value read from the registry, kept while the registry's version stays the same. */
export class RegistryCache<T> {
  private held: { version: string; value: Promise<T> } | undefined;

  constructor(private readonly load: (ex: Executor) => Promise<T>) {}

  async get(ex: Executor): Promise<T> {
    const version = await registryVersion(ex);
    if (this.held?.version !== version) {
      // Not loaded through it: its guard would fail anyway, and what is held may be newer.
      if (memoryOnly.has(ex)) throw new RegistryNotInMemory(`not in memory at version ${version}`);
      const value = this.load(ex);
      const held = { version, value };
      this.held = held;
      value.catch(() => {
        if (this.held === held) this.held = undefined;
      });
    }
    return this.held.value;
  }
}
