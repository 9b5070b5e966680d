import { Executor } from '../executor';

/** An active key whose `notAfter` falls before the horizon. */
export interface ExpiringKey {
  participantId: string;
  kid: string;
  notAfter: string;
}

/** A suspended participant that still has active subscriptions. */
export interface SuspendedWithSubscriptions {
  participantId: string;
  name: string;
  subscriptions: number;
}

/** Accepted messages of one type from one country in one time bucket. */
export interface FlowCount {
  bucket: string;
  type: string;
  country: string;
  count: number;
}

/** Rows any overview read returns at most: the console shows the first ones. */
export const OVERVIEW_LIMIT = 500;

const countryClause = (alias: string, country: string | undefined) =>
  country === undefined ? '' : ` AND ${alias}.country = ?`;
const countryParam = (country: string | undefined) => (country === undefined ? [] : [country]);

/**
 * What the console's first pages read: keys about to expire, suspended participants still
 * subscribed, and accepted messages counted by bucket, type and country. Each read is bounded:
 * the registry tables are small, and the message counts read one window of the index of stored
 * messages (`messages_unpurged`, by type and time).
 */
export class OverviewRepository {
  /** Active keys expiring before `before` (already expired ones too), soonest first. */
  async expiringKeys(ex: Executor, before: string, country?: string): Promise<ExpiringKey[]> {
    const rows = await ex.query<{ participant_id: string; kid: string; not_after: string }>(
      `SELECT k.participant_id, k.kid, k.not_after FROM participant_keys k
       JOIN participants p ON p.id = k.participant_id
       WHERE k.status = 'active' AND k.not_after IS NOT NULL AND k.not_after < ?${countryClause('p', country)}
       ORDER BY k.not_after, k.kid LIMIT ${OVERVIEW_LIMIT}`,
      [before, ...countryParam(country)],
    );
    return rows.map((row) => ({ participantId: row.participant_id, kid: row.kid, notAfter: row.not_after }));
  }

  async suspendedWithSubscriptions(ex: Executor, country?: string): Promise<SuspendedWithSubscriptions[]> {
    const rows = await ex.query<{ id: string; name: string; n: number | string }>(
      `SELECT p.id, p.name, COUNT(*) AS n FROM participants p
       JOIN subscriptions s ON s.participant_id = p.id AND s.status = 'active'
       WHERE p.status = 'suspended'${countryClause('p', country)}
       GROUP BY p.id, p.name ORDER BY p.id LIMIT ${OVERVIEW_LIMIT}`,
      countryParam(country),
    );
    return rows.map((row) => ({ participantId: row.id, name: row.name, subscriptions: Number(row.n) }));
  }

  /**
   * Stored messages received in [from, to) of `types`, counted per bucket (the first
   * `bucketLength` characters of the ISO 8601 time: 16 a minute, 13 an hour, 10 a day), type and
   * the sender's country (the prefix of its id). Messages whose payload retention purged are not
   * in the index, so not counted.
   */
  async acceptedFlow(
    ex: Executor,
    window: { from: string; to: string; bucketLength: 10 | 13 | 16; types: readonly string[] },
    country?: string,
  ): Promise<FlowCount[]> {
    if (window.types.length === 0) return [];
    const length = window.bucketLength;
    const rows = await ex.query<{ bucket: string; type: string; country: string; n: number | string }>(
      `SELECT SUBSTR(received_at, 1, ${length}) AS bucket, type, SUBSTR(source, 1, 2) AS country, COUNT(*) AS n
       FROM messages
       WHERE purged_at IS NULL AND type IN (${window.types.map(() => '?').join(', ')})
         AND received_at >= ? AND received_at < ?${country === undefined ? '' : ' AND SUBSTR(source, 1, 2) = ?'}
       GROUP BY SUBSTR(received_at, 1, ${length}), type, SUBSTR(source, 1, 2)
       ORDER BY 1, 2, 3`,
      [...window.types, window.from, window.to, ...countryParam(country)],
    );
    return rows.map((row) => ({
      bucket: row.bucket,
      type: row.type,
      country: row.country,
      count: Number(row.n),
    }));
  }
}

/** Refused publishes of one minute (`YYYY-MM-DDTHH:MM`), type, sender country and problem. */
export interface RefusalCount {
  minute: string;
  type: string;
  country: string;
  problem: string;
  count: number;
}

/** Refused publishes, counted per minute (`refusal_counts`): added to in batches, read by window. */
export class RefusalCountsRepository {
  /** Adds `counts` to the stored ones, in one statement. */
  async add(ex: Executor, counts: readonly RefusalCount[]): Promise<void> {
    if (counts.length === 0) return;
    await ex.execute(
      `INSERT INTO refusal_counts (minute, type, country, problem, count)
       VALUES ${counts.map(() => '(?, ?, ?, ?, ?)').join(', ')}
       ON CONFLICT (minute, type, country, problem) DO UPDATE SET count = refusal_counts.count + excluded.count`,
      counts.flatMap((c) => [c.minute, c.type, c.country, c.problem, c.count]),
    );
  }

  /** Forgets the counts of the minutes before `minute` (by the table's key). */
  async forgetBefore(ex: Executor, minute: string): Promise<void> {
    await ex.execute('DELETE FROM refusal_counts WHERE minute < ?', [minute]);
  }

  /** Refusals in [from, to) per bucket (a prefix of the minute, as `acceptedFlow`), type, country and problem. */
  async flow(
    ex: Executor,
    window: { from: string; to: string; bucketLength: 10 | 13 | 16 },
    country?: string,
  ): Promise<(FlowCount & { problem: string })[]> {
    const length = window.bucketLength;
    // Minutes compare as text with the window's bounds cut to the minute.
    const rows = await ex.query<{
      bucket: string;
      type: string;
      country: string;
      problem: string;
      n: number | string;
    }>(
      `SELECT SUBSTR(minute, 1, ${length}) AS bucket, type, country, problem, SUM(count) AS n
       FROM refusal_counts WHERE minute >= ? AND minute < ?${country === undefined ? '' : ' AND country = ?'}
       GROUP BY SUBSTR(minute, 1, ${length}), type, country, problem ORDER BY 1, 2, 3, 4`,
      [window.from.slice(0, 16), window.to.slice(0, 16), ...countryParam(country)],
    );
    return rows.map((row) => ({
      bucket: row.bucket,
      type: row.type,
      country: row.country,
      problem: row.problem,
      count: Number(row.n),
    }));
  }
}
