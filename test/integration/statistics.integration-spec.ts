import { statisticsFacts } from '@rdx/exchange';
import { Database, StatisticsQuery, StatisticsRepository, writeTogether } from '@rdx/persistence';
import { openTestDatabase } from '../support/test-database';

const NOW = new Date();
const THIS_MONTH = NOW.toISOString().slice(0, 7);

/** An accepted message's facts, as publishing writes them. */
const facts = (id: string, source: string, receivedAt: string, recipients: string[], persons: unknown[]) =>
  statisticsFacts(
    {
      id,
      source,
      type: 'org.asean.rdx.victim-identification-notification.v1',
      receivedAt,
      data: { persons },
      recipients,
    },
    'rdx-gateway',
  );

describe.each(['postgres', 'sqlite'] as const)('statistics facts and their monthly sums (%s)', (dialect) => {
  let db: Database;
  let cleanup: () => Promise<void>;
  const statistics = new StatisticsRepository();
  const count = (query: Partial<StatisticsQuery>) =>
    statistics.count(db, { from: '2025-01', to: THIS_MONTH, by: [], scope: { all: true }, ...query });

  beforeAll(async () => {
    ({ db, cleanup } = await openTestDatabase(dialect));
    await writeTogether(db, [
      ...statistics.recordWrites(db, [
        // Two persons, one of them also verified Myanmar, to three recipients in two countries.
        ...facts(
          'm1',
          'KH.CNP',
          '2025-03-10T00:00:00.000Z',
          ['ID.KEMLU', 'ID.POLRI', 'TH.ATPD'],
          [{ nationalities: ['ID'], verifiedNationalities: ['MM'] }, { nationalities: ['ID'] }],
        ),
        ...facts('m2', 'KH.CNP', '2025-03-31T23:59:59.999Z', ['ID.KEMLU'], [{ nationalities: ['ID'] }]),
        ...facts('m3', 'TH.ATPD', '2025-04-01T00:00:00.000Z', [], []),
        ...facts('m4', 'PH.PNP', NOW.toISOString(), ['ID.POLRI'], [{ nationalities: ['PH'] }]),
      ]),
    ]);
  });
  afterAll(async () => {
    await db.close();
    await cleanup();
  });

  const QUERIES: Partial<StatisticsQuery>[] = [
    {},
    { by: ['recipientCountry'] },
    { by: ['nationality'] },
    { by: ['month', 'type', 'sourceCountry', 'recipientCountry', 'nationality'] },
    { by: ['sourceCountry'], scope: { participant: 'ID.POLRI' } },
    { scope: { country: 'ID' } },
    { by: ['recipientCountry'], scope: { country: 'KH' } },
    { scope: { participant: 'KH.CNP' }, direction: 'received' },
    { by: ['nationality'], scope: { participant: 'KH.CNP' }, direction: 'sent' },
  ];
  /** Cells in an order of their own (the repository leaves them unordered). */
  const ordered = (cells: object[]) => {
    const key = (cell: object) => JSON.stringify(Object.entries(cell).sort(([a], [b]) => (a < b ? -1 : 1)));
    return [...cells].sort((a, b) => (key(a) < key(b) ? -1 : 1));
  };
  const sorted = async (query: Partial<StatisticsQuery>) => ordered(await count(query));

  it('counts each message once per cell, and persons once each per nationality', async () => {
    expect(await count({})).toEqual([{ messages: 4, persons: 4 }]);
    expect(await sorted({ by: ['recipientCountry'] })).toEqual(
      ordered([
        { recipientCountry: 'ID', messages: 3, persons: 4 },
        { recipientCountry: 'TH', messages: 1, persons: 2 },
        { recipientCountry: null, messages: 1, persons: 0 },
      ]),
    );
    expect(await sorted({ by: ['nationality'] })).toEqual(
      ordered([
        { nationality: 'ID', messages: 2, persons: 3 },
        { nationality: 'MM', messages: 1, persons: 1 },
        { nationality: 'PH', messages: 1, persons: 1 },
        { nationality: null, messages: 1, persons: 0 },
      ]),
    );
  });

  it("keeps to the caller's scope: its own recipient row of what it received, what it sent whole", async () => {
    expect(await sorted({ by: ['sourceCountry'], scope: { participant: 'ID.POLRI' } })).toEqual(
      ordered([
        { sourceCountry: 'KH', messages: 1, persons: 2 },
        { sourceCountry: 'PH', messages: 1, persons: 1 },
      ]),
    );
    expect(await count({ scope: { country: 'ID' } })).toEqual([{ messages: 3, persons: 4 }]);
    expect(await sorted({ by: ['recipientCountry'], scope: { country: 'KH' } })).toEqual(
      ordered([
        { recipientCountry: 'ID', messages: 2, persons: 3 },
        { recipientCountry: 'TH', messages: 1, persons: 2 },
      ]),
    );
    expect(await count({ scope: { participant: 'KH.CNP' }, direction: 'received' })).toEqual([]);
  });

  it('sums the months over, once, and counts the same from the sums', async () => {
    const before = await Promise.all(QUERIES.map(sorted));
    const summed = await statistics.compactMonths(db, NOW);
    expect(summed[0]).toBe('2025-03');
    expect(summed).not.toContain(THIS_MONTH);
    expect(await statistics.compactMonths(db, NOW)).toEqual([]);
    expect(await Promise.all(QUERIES.map(sorted))).toEqual(before);
  });

  it('forgets a message, in the facts and in the sums of its month', async () => {
    await statistics.forget(db, [
      { id: 'm1', month: '2025-03' },
      { id: 'm4', month: THIS_MONTH },
    ]);
    expect(await count({})).toEqual([{ messages: 2, persons: 1 }]);
    expect(await sorted({ by: ['recipientCountry'] })).toEqual(
      ordered([
        { recipientCountry: 'ID', messages: 1, persons: 1 },
        { recipientCountry: null, messages: 1, persons: 0 },
      ]),
    );
  });

  (dialect === 'postgres' ? it : it.skip)(
    'sums a month only once a forgetting of one of its messages has committed',
    async () => {
      await writeTogether(
        db,
        statistics.recordWrites(db, facts('m5', 'KH.CNP', '2024-06-01T00:00:00.000Z', ['ID.KEMLU'], [])),
      );
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let deleted!: () => void;
      const forgotten = new Promise<void>((r) => (deleted = r));
      const forgetting = db.transaction(async (tx) => {
        await statistics.forget(tx, [{ id: 'm5', month: '2024-06' }]);
        deleted();
        await held;
      });
      await forgotten;
      // 2024-06 is before every month summed so far: a database restored with older facts, say.
      await db.execute(`DELETE FROM message_statistics_compacted`);
      await db.execute(`DELETE FROM message_statistics_months`);
      const summing = statistics.compactMonths(db, NOW);
      await new Promise((r) => setTimeout(r, 200));
      release();
      await forgetting;
      expect(await summing).toContain('2024-06');
      expect(await count({ from: '2024-06', to: '2024-06' })).toEqual([]);
    },
  );
});
