import { StatisticsView } from '@rdx/exchange';
import { Suppressible } from '@rdx/schema';
import { stringify } from 'csv-stringify/sync';

/**
 * A statistics table as CSV (RFC 4180): a header of the `by` columns then `messages,persons`, a
 * line per row (an empty field for no value), and a last line of the totals, whose first field
 * is `total` when there are `by` columns. A suppressed count reads `<threshold`, e.g. `<11`.
 */
export function statisticsCsv(view: StatisticsView): string {
  const count = (c: Suppressible) => (typeof c === 'number' ? String(c) : `<${view.threshold}`);
  const lines = [
    [...view.by, 'messages', 'persons'],
    ...view.rows.map((row) => [...view.by.map((d) => row[d] ?? ''), count(row.messages), count(row.persons)]),
    [
      ...view.by.map((_, i) => (i === 0 ? 'total' : '')),
      count(view.total.messages),
      count(view.total.persons),
    ],
  ];
  return stringify(lines, { record_delimiter: 'windows' });
}
