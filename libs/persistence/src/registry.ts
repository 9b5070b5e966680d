import { randomUUID } from 'node:crypto';
import { Database, Executor, Prelude, PREPARED } from './database';

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
  return row.version;
}

/**
 * For a transaction that reads the registry (`Database.transaction`'s `prelude`): its version,
 * read with the transaction's BEGIN rather than in a round trip of its own.
 */
export const READS_REGISTRY: Prelude = {
  sql: READ_VERSION,
  read(tx, [row]) {
    versionsRead.set(tx, Promise.resolve(String(row.version)));
  },
};

/** A value read from the registry, kept while the registry's version stays the same. */
export class RegistryCache<T> {
  private held: { version: string; value: Promise<T> } | undefined;

  constructor(private readonly load: (ex: Executor) => Promise<T>) {}

  async get(ex: Executor): Promise<T> {
    const version = await registryVersion(ex);
    if (this.held?.version !== version) {
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
