import { Database } from '../database';
import { Executor, PREPARED } from '../executor';
import { Column, inList, insertRows, insertRowsWhere, writeChunks } from '../sql-builders';
import { Write, writeTogether } from '../writes';
import * as months from './statistics-months.queries';

/**
 * One row of `message_statistics`: a message's facts for one recipient (null: it has none) and one
 * nationality (null: of the persons with none, or of a message naming nobody).
 */
export interface StatisticsFact {
  messageId: string;
  /** `YYYY-MM` of its acceptance, UTC. */
  month: string;
  type: string;
  source: string;
  recipient: string | null;
  nationality: string | null;
  /** The persons the message names. */
  persons: number;
  /** Those of them having `nationality` (with none, when null). */
  nationalityPersons: number;
  /** The row of the first nationality, for this recipient. */
  firstNationality: boolean;
  /** A row of the first recipient of its country. */
  firstInCountry: boolean;
  /** A row of the message's first recipient. */
  firstRecipient: boolean;
}

export const STATISTICS_DIMENSIONS = [
  'month',
  'type',
  'sourceCountry',
  'recipientCountry',
  'nationality',
] as const;
export type StatisticsDimension = (typeof STATISTICS_DIMENSIONS)[number];

/**
 * Whose messages a count covers: all of them; a country's (those it sent whole, and of those sent
 * to it, its recipient rows); a participant's (those it sent whole, and of those it received, its
 * own recipient row).
 */
export type StatisticsScope = { all: true } | { country: string } | { participant: string };

export interface StatisticsQuery {
  /** First and last months counted, `YYYY-MM`. */
  from: string;
  to: string;
  by: readonly StatisticsDimension[];
  /** Only these types, when given. */
  types?: readonly string[];
  scope: StatisticsScope;
  /**
   * Only what the participant or country sent, or only what it received (not from itself); both
   * when not given. Meaningless for the `all` scope, which it leaves whole.
   */
  direction?: 'sent' | 'received';
}

/** One cell: the values of the dimensions counted by (null: none), and the two measures. */
export type StatisticsCell = Partial<Record<StatisticsDimension, string | null>> & {
  messages: number;
  persons: number;
};

const COLUMNS: Column[] = [
  ['message_id', 'text'],
  ['month', 'text'],
  ['type', 'text'],
  ['source', 'text'],
  ['source_country', 'text'],
  ['recipient', 'text'],
  ['recipient_country', 'text'],
  ['nationality', 'text'],
  ['persons', 'integer'],
  ['nationality_persons', 'integer'],
  ['first_nationality', 'integer'],
  ['first_in_country', 'integer'],
  ['first_recipient', 'integer'],
];

const DIMENSION_COLUMNS: Record<StatisticsDimension, string> = {
  month: 'month',
  type: 'type',
  sourceCountry: 'source_country',
  recipientCountry: 'recipient_country',
  nationality: 'nationality',
};

const flag = (value: boolean) => (value ? 1 : 0);
const row = (f: StatisticsFact): unknown[] => [
  f.messageId,
  f.month,
  f.type,
  f.source,
  f.source.slice(0, 2),
  f.recipient,
  f.recipient?.slice(0, 2) ?? null,
  f.nationality,
  f.persons,
  f.nationalityPersons,
  flag(f.firstNationality),
  flag(f.firstInCountry),
  flag(f.firstRecipient),
];

/**
 * The facts statistics count (`message_statistics`), written with the messages they are of and
 * counted from indexed columns, never from payloads; once a month is over, from its sums
 * (`message_statistics_months`).
 */
export class StatisticsRepository {
  /** The facts' rows, as one multi-row write per run of the dialect (`writeTogether`). */
  recordWrites(ex: Executor, facts: readonly StatisticsFact[]): Write[] {
    return writeChunks(ex, facts.map(row), 500).map((chunk) => ({
      ...insertRows(ex, 'message_statistics', COLUMNS, chunk),
      prepare: true,
    }));
  }

  /**
   * `recordWrites` on PostgreSQL, of only the facts for which `condition` holds: an SQL condition
   * on `message_id`, such as `amongStored('message_id')`.
   */
  recordWritesWhere(facts: readonly StatisticsFact[], condition: string): Write[] {
    if (facts.length === 0) return [];
    return [{ ...insertRowsWhere('message_statistics', COLUMNS, facts.map(row), condition), prepare: true }];
  }

  /**
   * Forgets the facts of messages (superseded or withdrawn: figures count only current ones),
   * taking them out of the sums of months already summed too. `month`: the UTC month (YYYY-MM)
   * each was accepted in.
   */
  async forget(ex: Executor, messages: readonly { id: string; month: string }[]): Promise<void> {
    await writeTogether(ex, this.forgetWrites(ex, messages));
  }

  /**
   * `forget`'s statements, to run with others of the act (`writeTogether`), in this order. The
   * facts are found by the month each message was accepted in (the one index publishing pays
   * for), then by message.
   */
  forgetWrites(ex: Executor, messages: readonly { id: string; month: string }[]): Write[] {
    return months.forgetWrites(
      ex,
      messages.map((m) => m.id),
      [...new Set(messages.map((m) => m.month))],
    );
  }

  /**
   * Sums the facts of each month over for an hour or more and not yet summed, one transaction a
   * month (safe to run in several processes at once); returns the months summed.
   */
  compactMonths(db: Database, now: Date): Promise<string[]> {
    return months.compactMonths(db, now);
  }

  /**
   * The messages and persons of each cell of `query.by`, cells with nothing left out, unordered.
   * Each message counts once per cell: of its rows in the scope, only those that stand for it
   * at the breakdown asked (the `first_*` flags) are summed. Months already summed are read from
   * their sums, the others from the facts.
   */
  async count(ex: Executor, query: StatisticsQuery): Promise<StatisticsCell[]> {
    const dimensions = query.by.map((d) => DIMENSION_COLUMNS[d]);
    const measure = query.by.includes('nationality') ? 'nationality_persons' : 'persons';
    const filter = rowFilter(ex, query);
    const summed = await months.summedMonths(ex, query.from, query.to);
    const unsummed = months.monthsBetween(query.from, query.to).filter((m) => !summed.has(m));
    const select = dimensions.map((c) => `${c}, `).join('');
    const parts: { sql: string; params: unknown[] }[] = [];
    if (unsummed.length > 0) {
      const among = inList(ex, 'month', unsummed);
      parts.push({
        sql: `SELECT ${select}1 AS n, ${measure} AS p FROM message_statistics WHERE ${among.sql} AND ${filter.sql}`,
        params: [...among.params, ...filter.params],
      });
    }
    if (summed.size > 0)
      parts.push({
        sql: `SELECT ${select}messages AS n, ${measure} AS p FROM message_statistics_months
          WHERE month >= ? AND month <= ? AND ${filter.sql}`,
        params: [query.from, query.to, ...filter.params],
      });
    const groupBy = dimensions.length === 0 ? '' : ` GROUP BY ${dimensions.join(', ')}`;
    const rows = await ex.query<Record<string, string | number | null>>(
      `SELECT ${select}SUM(n) AS messages, SUM(p) AS persons
       FROM (${parts.map((p) => p.sql).join(' UNION ALL ')}) counted${groupBy}`,
      parts.flatMap((p) => p.params),
      PREPARED,
    );
    return rows
      .filter((r) => Number(r.messages) > 0)
      .map((r) => {
        const cell: StatisticsCell = { messages: Number(r.messages), persons: Number(r.persons) };
        for (const d of query.by) cell[d] = (r[DIMENSION_COLUMNS[d]] as string | null) ?? null;
        return cell;
      });
  }
}

/**
 * Which rows a count sums, in the facts and in the monthly sums alike: those in the caller's
 * scope, of the types asked, that stand for their message at the breakdown asked.
 */
function rowFilter(ex: Executor, query: StatisticsQuery): { sql: string; params: unknown[] } {
  // Rows standing for the whole message, or for its recipient country.
  const whole = query.by.includes('recipientCountry') ? 'first_in_country = 1' : 'first_recipient = 1';
  const params: unknown[] = [];
  const { scope: s, direction } = query;
  // What the caller sent, whole; and of what it received, its own recipient rows.
  let sent: string | undefined;
  let received: string | undefined;
  if ('participant' in s) {
    sent = `(source = ? AND ${whole})`;
    received = '(source <> ? AND recipient = ?)';
  } else if ('country' in s) {
    sent = `(source_country = ? AND ${whole})`;
    received = '(source_country <> ? AND recipient_country = ? AND first_in_country = 1)';
  }
  const id = 'participant' in s ? s.participant : 'country' in s ? s.country : undefined;
  let sql = whole;
  if (sent !== undefined && received !== undefined) {
    const parts = [
      ...(direction !== 'received' ? [{ sql: sent, params: [id] }] : []),
      ...(direction !== 'sent' ? [{ sql: received, params: [id, id] }] : []),
    ];
    sql = parts.length === 1 ? parts[0].sql : `(${parts.map((p) => p.sql).join(' OR ')})`;
    params.push(...parts.flatMap((p) => p.params));
  }
  if (!query.by.includes('nationality')) sql += ' AND first_nationality = 1';
  if (query.types !== undefined) {
    const among = inList(ex, 'type', query.types);
    sql += ` AND ${among.sql}`;
    params.push(...among.params);
  }
  return { sql, params };
}
