import { Database } from '../database';
import { Executor, PREPARED } from '../executor';
import { inList } from '../sql-builders';
import { Write } from '../writes';

/*
 * The monthly sums of the statistics facts (`message_statistics_months`): a row per distinct set
 * of the facts' other columns, with how many facts had it and their persons. A month is summed
 * once it has been over for `GRACE_MS` (no message accepted in it can still be committing), and
 * its facts are kept, to take a forgotten message out of the sums.
 */

/** How long after a month's end its facts are summed. */
const GRACE_MS = 3_600_000;
/** Months summed in one round at most. */
const MONTHS_PER_ROUND = 240;

/** The columns a sum is kept by: every column of a fact but its message and measures. */
const KEY = [
  'month',
  'type',
  'source',
  'source_country',
  'recipient',
  'recipient_country',
  'nationality',
  'first_nationality',
  'first_in_country',
  'first_recipient',
];
const NULLABLE = new Set(['recipient', 'recipient_country', 'nationality']);

/** `YYYY-MM` and the month after it. */
const next = (month: string): string => {
  const [year, m] = month.split('-').map(Number);
  return m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`;
};

/** Every month from `from` to `to`, both included. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = from; m <= to; m = next(m)) out.push(m);
  return out;
}

/** The months of [from, to] already summed. */
export async function summedMonths(ex: Executor, from: string, to: string): Promise<Set<string>> {
  const rows = await ex.query<{ month: string }>(
    'SELECT month FROM message_statistics_compacted WHERE month >= ? AND month <= ?',
    [from, to],
    PREPARED,
  );
  return new Set(rows.map((r) => r.month));
}

/** `StatisticsRepository.compactMonths`. */
export async function compactMonths(db: Database, now: Date): Promise<string[]> {
  // The last month due: the one before the month an hour ago.
  const ago = new Date(now.getTime() - GRACE_MS).toISOString().slice(0, 7);
  const [last] = await db.query<{ month: string | null }>(
    'SELECT MAX(month) AS month FROM message_statistics_compacted',
    [],
    PREPARED,
  );
  let month = last?.month == null ? undefined : next(last.month);
  if (month === undefined) {
    const [first] = await db.query<{ month: string | null }>(
      'SELECT MIN(month) AS month FROM message_statistics',
      [],
      PREPARED,
    );
    if (first?.month == null) return [];
    month = first.month;
  }
  const done: string[] = [];
  for (; month < ago && done.length < MONTHS_PER_ROUND; month = next(month)) {
    const summed = await db.transaction(async (tx) => {
      // No fact is written or forgotten while the month is summed (PostgreSQL; SQLite has one
      // writer at a time): a forgetting waiting on the lock then sees the sums, and takes the
      // message out of them. Publishing waits that long, once a month.
      if (tx.dialect === 'postgres') await tx.execute('LOCK TABLE message_statistics IN SHARE MODE');
      // Marked first: another process summing the same month finds it marked, and sums nothing.
      const marked = await tx.query(
        'INSERT INTO message_statistics_compacted (month) VALUES (?) ON CONFLICT (month) DO NOTHING RETURNING month',
        [month],
        PREPARED,
      );
      if (marked.length === 0) return false;
      await tx.execute(
        `INSERT INTO message_statistics_months (${KEY.join(', ')}, messages, persons, nationality_persons)
         SELECT ${KEY.join(', ')}, COUNT(*), SUM(persons), SUM(nationality_persons)
         FROM message_statistics WHERE month = ? GROUP BY ${KEY.join(', ')}`,
        [month],
        PREPARED,
      );
      return true;
    });
    if (summed) done.push(month!);
  }
  return done;
}

/**
 * `StatisticsRepository.forgetWrites`: the messages' facts taken out of the sums of months
 * already summed, then deleted. On PostgreSQL both read the same snapshot, on SQLite they run in
 * this order: either way the sums are lowered by the facts as they were.
 */
export function forgetWrites(
  ex: Executor,
  messageIds: readonly string[],
  acceptedIn: readonly string[],
): Write[] {
  if (messageIds.length === 0 || acceptedIn.length === 0) return [];
  const ids = inList(ex, 'message_id', messageIds);
  const inMonths = inList(ex, 'month', acceptedIn);
  const among = { sql: `${inMonths.sql} AND ${ids.sql}`, params: [...inMonths.params, ...ids.params] };
  const matches = KEY.map((c) =>
    NULLABLE.has(c) ? `(s.${c} = f.${c} OR (s.${c} IS NULL AND f.${c} IS NULL))` : `s.${c} = f.${c}`,
  ).join(' AND ');
  return [
    {
      sql: `UPDATE message_statistics_months AS s
        SET messages = s.messages - f.n, persons = s.persons - f.p, nationality_persons = s.nationality_persons - f.np
        FROM (SELECT ${KEY.join(', ')}, COUNT(*) AS n, SUM(persons) AS p, SUM(nationality_persons) AS np
              FROM message_statistics
              WHERE ${among.sql} AND month IN (SELECT month FROM message_statistics_compacted)
              GROUP BY ${KEY.join(', ')}) AS f
        WHERE ${matches}`,
      params: among.params,
      prepare: true,
    },
    { sql: `DELETE FROM message_statistics WHERE ${among.sql}`, params: among.params, prepare: true },
  ];
}
