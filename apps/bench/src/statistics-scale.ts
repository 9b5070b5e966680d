import { AgencySigner } from '@rdx/client';
import { createDataSource, Database, StatisticsRepository } from '@rdx/persistence';
import { Pool } from 'pg';
import { World } from './bench-world';

/** How long statistics over a year of messages take to answer, through the API. */
export interface StatisticsScale {
  messages: number;
  /** Rows of `message_statistics` they make (a row per recipient and nationality). */
  factRows: number;
  fillSeconds: number;
  /** How long summing the months took. */
  summedSeconds: number;
  /** Rows of the monthly sums (`message_statistics_months`) the facts made. */
  summedRows: number;
  /** Each query's median over `runs`, in ms, from request to the whole answer read. */
  queries: { name: string; query: string; caller: 'admin' | 'participant'; medianMs: number }[];
  runs: number;
  /** The slowest query's median. */
  slowestMedianMs: number;
}

const YEAR = { from: '2025-01', to: '2025-12' };
/** Distinct pairs of sender and first recipient over the year, each sending every type. */
const PAIRS = 2000;
const TYPES = [
  'org.asean.rdx.victim-identification-notification.v1',
  'org.asean.rdx.trafficking-incident-alert.v1',
  'org.asean.rdx.repatriation-plan.v1',
  'org.asean.rdx.case-status-update.v1',
  'org.asean.rdx.nationality-verification-request.v1',
];

/**
 * Fills `message_statistics` with the facts of `count` messages spread over 2025, as the gateway
 * writes them: police units send to ministries (`PAIRS` pairs of them, picked by a hash of the
 * message's number, as is its type), three in ten to two ministries, one in five naming persons of
 * two nationalities, one in seven naming nobody. One generate_series INSERT.
 */
async function fillFacts(pool: Pool, count: number, police: string[], ministries: string[]): Promise<number> {
  await pool.query(
    `INSERT INTO message_statistics (message_id, month, type, source, source_country, recipient, recipient_country,
       nationality, persons, nationality_persons, first_nationality, first_in_country, first_recipient)
     SELECT 'bench-' || g, to_char(date '2025-01-01' + ((g - 1) * 365 / $3::bigint)::int, 'YYYY-MM'),
       ($4::text[])[1 + h.kind], m.source, substr(m.source, 1, 2), r.id, substr(r.id, 1, 2), n.code,
       CASE WHEN n.code IS NULL AND g % 7 = 0 THEN 0 ELSE 1 + g % 3 END,
       CASE WHEN n.code IS NULL AND g % 7 = 0 THEN 0 ELSE 1 + g % 3 END,
       (n.pos = 1)::int, (r.pos = 1 OR substr(m.second, 1, 2) <> substr(m.first, 1, 2))::int, (r.pos = 1)::int
     FROM generate_series(1, $3::bigint) g
     CROSS JOIN LATERAL (SELECT abs(hashint8(g)) % $5::int AS pair, abs(hashint8(-g)) % 5 AS kind) h
     CROSS JOIN LATERAL (SELECT ($1::text[])[1 + h.pair % array_length($1::text[], 1)] AS source,
       ($2::text[])[1 + (h.pair * 7) % array_length($2::text[], 1)] AS first,
       ($2::text[])[1 + (h.pair * 7 + 1) % array_length($2::text[], 1)] AS second) m
     CROSS JOIN LATERAL unnest(CASE WHEN g % 10 < 3 THEN ARRAY[m.first, m.second] ELSE ARRAY[m.first] END)
       WITH ORDINALITY AS r(id, pos)
     CROSS JOIN LATERAL unnest(CASE WHEN g % 7 = 0 THEN ARRAY[NULL::text] WHEN g % 5 = 0 THEN ARRAY['ID', 'MM']
       ELSE ARRAY[substr(m.first, 1, 2)] END) WITH ORDINALITY AS n(code, pos)`,
    [police, ministries, count, TYPES, PAIRS],
  );
  await pool.query('VACUUM ANALYZE message_statistics');
  const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM message_statistics');
  return Number(rows[0].n);
}

/**
 * Sums the months filled as the gateway's housekeeping does once a month is over, with the same
 * code (rather than wait up to its next round): the counts then read the sums.
 */
async function sumMonths(
  pool: Pool,
  databaseUrl: string,
  log: (line: string) => void,
): Promise<{ seconds: number; rows: number }> {
  const started = Date.now();
  const db = new Database(createDataSource({ kind: 'postgres', url: databaseUrl }));
  await db.dataSource.initialize();
  try {
    await new StatisticsRepository().compactMonths(db, new Date());
  } finally {
    await db.close();
  }
  // As autovacuum does after such an insert.
  await pool.query('ANALYZE message_statistics_months');
  const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM message_statistics_months');
  const seconds = Math.round((Date.now() - started) / 1000);
  log(`  summed by month in ${seconds} s, in ${rows[0].n} rows`);
  return { seconds, rows: Number(rows[0].n) };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
};

/**
 * Statistics at scale: a year of `count` messages' facts, summed by month, then
 * `GET /v1/statistics` over the year a few times per query (an administrator's finest breakdown and a report's, the totals, and
 * a ministry's own), the median of each.
 */
export async function statisticsScale(
  pool: Pool,
  databaseUrl: string,
  gatewayUrl: string,
  adminToken: string,
  world: World,
  count: number,
  log: (line: string) => void,
  runs = 5,
): Promise<StatisticsScale> {
  const police = world.agencies.filter((a) => a.id.includes('.POLICE-')).map((a) => a.id);
  const ministries = world.agencies.filter((a) => a.id.includes('.MINISTRY-'));
  log(`Statistics: the facts of ${count.toLocaleString('en')} messages over a year`);
  const started = Date.now();
  const factRows = await fillFacts(
    pool,
    count,
    police,
    ministries.map((a) => a.id),
  );
  const fillSeconds = Math.round((Date.now() - started) / 1000);
  const summed = await sumMonths(pool, databaseUrl, log);
  const ministry = ministries[0];
  const signer = await AgencySigner.fromPrivateJwk(ministry.id, ministry.privateJwk as never);
  const year = `from=${YEAR.from}&to=${YEAR.to}`;
  const plan = [
    { name: 'every dimension', query: `${year}&by=month,type,sourceCountry,recipientCountry,nationality` },
    { name: 'month and nationality', query: `${year}&by=month,nationality` },
    { name: 'totals', query: year },
    {
      name: "a ministry's own, by month and source country",
      query: `${year}&by=month,sourceCountry`,
      participant: true,
    },
  ];
  const queries: StatisticsScale['queries'] = [];
  for (const { name, query, participant } of plan) {
    const times: number[] = [];
    for (let i = 0; i <= runs; i++) {
      const token = participant ? await signer.bearer('rdx-gateway') : adminToken;
      const at = performance.now();
      const response = await fetch(`${gatewayUrl}/v1/statistics?${query}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const text = await response.text();
      if (response.status !== 200) throw new Error(`statistics ${query}: ${response.status} ${text}`);
      // The first run warms the connection and the plan: it is left out.
      if (i > 0) times.push(performance.now() - at);
    }
    queries.push({
      name,
      query,
      caller: participant ? 'participant' : 'admin',
      medianMs: Math.round(median(times)),
    });
    log(`  ${name}: median ${queries.at(-1)!.medianMs} ms`);
  }
  return {
    messages: count,
    factRows,
    fillSeconds,
    summedSeconds: summed.seconds,
    summedRows: summed.rows,
    queries,
    runs,
    slowestMedianMs: Math.max(...queries.map((q) => q.medianMs)),
  };
}
