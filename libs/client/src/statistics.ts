/** What statistics break down by. */
export type StatisticsDimension = 'month' | 'type' | 'sourceCountry' | 'recipientCountry' | 'nationality';

/** A count as the gateway shows it: a number, or `{ suppressed: true }` in place of a small one. */
export type StatisticsCount = number | { suppressed: true };

/** `GET /v1/statistics`: months `YYYY-MM`, both counted. */
export interface StatisticsQuery {
  from: string;
  to: string;
  by?: readonly StatisticsDimension[];
  /** Only these message types. */
  types?: readonly string[];
  /** Only what the caller sent, or only what it received. */
  direction?: 'sent' | 'received';
}

/** One row: the values of its dimensions (null: none), and the counts. */
export type StatisticsRow = Partial<Record<StatisticsDimension, string | null>> & {
  messages: StatisticsCount;
  persons: StatisticsCount;
};

/** The gateway's statistics answer (JSON). */
export interface Statistics {
  from: string;
  to: string;
  by: StatisticsDimension[];
  /** Counts from 1 to threshold - 1 are suppressed. */
  threshold: number;
  types?: string[];
  direction?: 'sent' | 'received';
  rows: StatisticsRow[];
  total: { messages: StatisticsCount; persons: StatisticsCount };
}

/** The path and query of a statistics request. */
export function statisticsPath(query: StatisticsQuery): string {
  const params = new URLSearchParams({ from: query.from, to: query.to });
  if (query.by !== undefined && query.by.length > 0) params.set('by', query.by.join(','));
  if (query.types !== undefined && query.types.length > 0) params.set('type', query.types.join(','));
  if (query.direction !== undefined) params.set('direction', query.direction);
  return `/v1/statistics?${params}`;
}

/** Accept header of a CSV statistics request. */
export const CSV_ACCEPT = { accept: 'text/csv, application/problem+json' };
