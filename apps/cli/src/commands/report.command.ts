import type { Statistics, StatisticsCount, StatisticsDimension, StatisticsQuery, Tlp } from '@rdx/client';
import { suppressSmallCells } from '@rdx/schema';
import { Command, Option } from 'commander';
import { usage } from '../cli-errors';
import { CliContext, listOption } from '../cli.context';

const DIMENSIONS: readonly StatisticsDimension[] = [
  'month',
  'type',
  'sourceCountry',
  'recipientCountry',
  'nationality',
];
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const AGGREGATE_STATISTICS = 'org.asean.rdx.aggregate-statistics.v1';

/**
 * What each measure of an aggregate-statistics message counts: the persons named in messages of
 * one type that the caller sent or received.
 */
export const MEASURES = {
  'identified-victims': { type: 'org.asean.rdx.victim-identification-notification.v1', direction: 'sent' },
  'repatriated-victims': { type: 'org.asean.rdx.repatriation-plan.v1', direction: 'sent' },
  'received-victims': { type: 'org.asean.rdx.repatriation-plan.v1', direction: 'received' },
  'presumed-victims': { type: 'org.asean.rdx.trafficking-incident-alert.v1', direction: 'sent' },
} as const;
type Measure = keyof typeof MEASURES;

interface ReportOptions {
  from: string;
  to: string;
  by?: string[];
  type?: string[];
  direction?: 'sent' | 'received';
  csv?: boolean;
  json?: boolean;
  admin?: boolean;
  publish?: boolean;
  measure?: Measure;
  recipients?: string[];
  tlp: Tlp;
}

/** `rdx report`: the statistics table, or (`--publish`) a signed aggregate-statistics message of it. */
export function reportCommand(program: Command): void {
  program
    .command('report')
    .description(
      'messages and the persons they name, counted by month, type, country and nationality, small counts ' +
        'suppressed; --publish signs and publishes the figures of a measure as aggregate statistics',
    )
    .requiredOption('--from <month>', 'the first month counted, YYYY-MM')
    .requiredOption('--to <month>', 'the last month counted, YYYY-MM')
    .option('--by <dimensions...>', `break down by: ${DIMENSIONS.join(', ')} (comma-separated)`, listOption)
    .option('--type <types...>', 'only these message types (comma-separated)', listOption)
    .addOption(
      new Option('--direction <direction>', 'only what was sent, or received').choices(['sent', 'received']),
    )
    .option('--csv', "the gateway's CSV, as it is")
    .option('--json', "the gateway's JSON answer")
    .option('--admin', 'count as the administrator token holder rather than as the participant')
    .option('--publish', 'publish the figures of --measure as a signed aggregate-statistics message')
    .addOption(new Option('--measure <measure>', 'what --publish counts').choices(Object.keys(MEASURES)))
    .option(
      '--recipients <ids...>',
      'named recipients of the published figures (comma-separated)',
      listOption,
    )
    .addOption(
      new Option('--tlp <level>', 'Traffic Light Protocol of the published figures')
        .choices(['clear', 'green', 'amber', 'amber+strict', 'red'])
        .default('amber'),
    )
    .action(async (options: ReportOptions, command: Command) => {
      const context = new CliContext(command);
      for (const month of [options.from, options.to])
        if (!MONTH.test(month)) throw usage(`${month} is not a month: use YYYY-MM`);
      if (options.publish) return publish(context, options);
      const query: StatisticsQuery = {
        from: options.from,
        to: options.to,
        ...(options.by === undefined ? {} : { by: options.by as StatisticsDimension[] }),
        ...(options.type === undefined ? {} : { types: options.type }),
        ...(options.direction === undefined ? {} : { direction: options.direction }),
      };
      const client = options.admin ? context.admin() : await context.agency();
      if (options.csv) return context.io.out((await client.statisticsCsv(query)).replace(/\r?\n$/, ''));
      const statistics = await client.statistics(query);
      if (options.json) return context.io.out(JSON.stringify(statistics));
      for (const line of table(statistics)) context.io.out(line);
    });
}

/** Counts the measure's persons by nationality and publishes them, signed by the agency. */
async function publish(context: CliContext, options: ReportOptions): Promise<void> {
  if (options.measure === undefined) throw usage('--publish needs --measure');
  if (options.admin) throw usage('--publish signs as the participant: leave out --admin');
  const client = await context.agency();
  const { type, direction } = MEASURES[options.measure];
  const statistics = await client.statistics({
    from: options.from,
    to: options.to,
    by: ['nationality'],
    types: [type],
    direction,
  });
  // Persons of no known nationality have no cell; the rest are protected again without them.
  const rows = statistics.rows.filter((row) => row.nationality != null);
  const protectedCells = suppressSmallCells(
    rows.map((row) => row.persons),
    statistics.total.persons,
    statistics.threshold,
  );
  const data = {
    period: { from: `${options.from}-01`, to: lastDay(options.to) },
    country: client.participant.slice(0, 2),
    measure: options.measure,
    total: protectedCells.total,
    bySex: [],
    byAgeBand: [],
    byExploitationType: [],
    byNationality: rows.map((row, i) => ({ nationality: row.nationality!, count: protectedCells.cells[i] })),
    note: `Persons named in the ${type} messages ${client.participant} ${direction}, as counted by RDX`,
  };
  const sent = await client.publish(AGGREGATE_STATISTICS, data, {
    tlp: options.tlp,
    ...(options.recipients === undefined ? {} : { to: options.recipients }),
  });
  context.io.out(sent.messageId);
  context.io.err(
    `${options.measure} ${options.from} to ${options.to}: total ${shown(data.total, statistics.threshold)}`,
  );
}

/** The last day of a month `YYYY-MM`, `YYYY-MM-DD`. */
function lastDay(month: string): string {
  const [year, m] = month.split('-').map(Number);
  return new Date(Date.UTC(year, m, 0)).toISOString().slice(0, 10);
}

const shown = (count: StatisticsCount, threshold: number) =>
  typeof count === 'number' ? String(count) : `<${threshold}`;

/** The table as aligned lines: a header, a line per row, a line of totals. */
function table(statistics: Statistics): string[] {
  const { by, threshold } = statistics;
  const lines = [
    [...by, 'messages', 'persons'],
    ...statistics.rows.map((row) => [
      ...by.map((d) => row[d] ?? '-'),
      shown(row.messages, threshold),
      shown(row.persons, threshold),
    ]),
    [
      ...by.map((_, i) => (i === 0 ? 'total' : '')),
      shown(statistics.total.messages, threshold),
      shown(statistics.total.persons, threshold),
    ],
  ];
  const widths = lines[0].map((_, i) => Math.max(...lines.map((line) => line[i].length)));
  // Dimensions left-aligned, counts right-aligned.
  return lines.map((line) =>
    line
      .map((cell, i) => (i < by.length ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
      .join('  ')
      .trimEnd(),
  );
}
