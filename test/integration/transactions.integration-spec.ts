import { randomUUID } from 'node:crypto';
import { Database, READS_REGISTRY, registryChanged, registryVersion } from '@rdx/persistence';
import { openTestDatabase } from '../support/test-database';

describe.each(['postgres', 'sqlite'] as const)('transactions (%s)', (dialect) => {
  let db: Database;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ db, cleanup } = await openTestDatabase(dialect));
  });

  afterAll(async () => {
    await db.close();
    await cleanup();
  });

  /** The planner's setting inside a transaction (PostgreSQL), or 'n/a'. */
  const seqscan = async (tx: Parameters<Parameters<Database['transaction']>[0]>[0]) =>
    dialect === 'postgres'
      ? (await tx.query<{ enable_seqscan: string }>('SHOW enable_seqscan'))[0].enable_seqscan
      : 'n/a';

  it.each([
    ['alone', { prelude: READS_REGISTRY }, dialect === 'postgres' ? 'on' : 'n/a'],
    ['planned by key', { planByKeys: true, prelude: READS_REGISTRY }, dialect === 'postgres' ? 'off' : 'n/a'],
  ] as const)(
    'start with the registry version read with BEGIN (%s), and the work uses it',
    async (_how, options, plan) => {
      const before = await registryVersion(db);
      const moved = `moved-${randomUUID()}`;
      const seen = await db.transaction(async (tx) => {
        // Moved behind the registry's back: a read now would see this, the version read at BEGIN does not.
        await tx.execute('UPDATE registry_version SET version = ? WHERE id = 1', [moved]);
        return { version: await registryVersion(tx), plan: await seqscan(tx) };
      }, options);
      expect(seen).toEqual({ version: before, plan });
      // Outside a transaction, the planner's settings are as they were.
      expect(await db.transaction((tx) => seqscan(tx))).toBe(dialect === 'postgres' ? 'on' : 'n/a');
      expect(await registryVersion(db)).toBe(moved);
    },
  );

  it('sees a change to the registry made in the transaction itself', async () => {
    const before = await registryVersion(db);
    const after = await db.transaction(
      async (tx) => {
        expect(await registryVersion(tx)).toBe(before);
        await registryChanged(tx);
        return registryVersion(tx);
      },
      { prelude: READS_REGISTRY },
    );
    expect(after).not.toBe(before);
    expect(await registryVersion(db)).toBe(after);
  });

  it('runs no work when its prelude fails, and leaves the connection fit for the next', async () => {
    const work = jest.fn(() => Promise.resolve('ran'));
    await expect(
      db.transaction(work, { prelude: { sql: 'SELECT version FROM no_such_table', read: () => undefined } }),
    ).rejects.toThrow(/no_such_table/);
    expect(work).not.toHaveBeenCalled();
    for (let i = 0; i < 25; i++)
      expect(await db.transaction(() => Promise.resolve(i), { prelude: READS_REGISTRY })).toBe(i);
  });
});
