import { Inject, Injectable } from '@nestjs/common';
import { RDX_CONFIG, RdxConfig } from '@rdx/config';
import { RdxError } from '@rdx/errors';
import {
  Database,
  STATISTICS_DIMENSIONS,
  StatisticsCell,
  StatisticsDimension,
  StatisticsRepository,
  StatisticsScope,
} from '@rdx/persistence';
import { MESSAGE_TYPES, suppressSmallCells, Suppressible } from '@rdx/schema';

/** The longest period one read may count, in months. */
export const MAX_STATISTICS_MONTHS = 120;

/** A statistics query as the API takes it: months `YYYY-MM`, comma-separated lists. */
export interface StatisticsRequest {
  from: string;
  to: string;
  by?: string;
  type?: string;
  /** `sent` or `received`: only what the caller sent, or only what it received. */
  direction?: string;
}

/** One row of a statistics table: its dimensions' values (null: none), its measures. */
export type StatisticsRow = Partial<Record<StatisticsDimension, string | null>> & {
  messages: Suppressible;
  persons: Suppressible;
};

/** Counted messages and persons, by the dimensions asked, small counts suppressed. */
export interface StatisticsView {
  from: string;
  to: string;
  by: StatisticsDimension[];
  /** Counts from 1 to threshold - 1 are suppressed. */
  threshold: number;
  types?: string[];
  direction?: 'sent' | 'received';
  /** One per cell with a message, in the order of the values of `by`; none when `by` is empty. */
  rows: StatisticsRow[];
  total: { messages: Suppressible; persons: Suppressible };
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const KNOWN_TYPES = new Set(MESSAGE_TYPES.map((definition) => definition.type));

const refuse = (path: string, message: string) =>
  new RdxError('bad-request', `the query is not valid: ${message}`, { errors: [{ path, message }] });

/**
 * Counts the messages a caller may see, and the persons they name, by month, type, source and
 * recipient country and nationality, from the facts written at acceptance
 * (`StatisticsRepository`). Small counts are suppressed, in each row and so that none can be
 * worked out from the total (`suppressSmallCells`, one measure at a time).
 */
@Injectable()
export class ReadStatistics {
  constructor(
    @Inject(RDX_CONFIG) private readonly config: RdxConfig,
    @Inject(Database) private readonly db: Database,
    @Inject(StatisticsRepository) private readonly statistics: StatisticsRepository,
  ) {}

  async execute(scope: StatisticsScope, request: StatisticsRequest): Promise<StatisticsView> {
    const { from, to } = period(request);
    const by = dimensions(request.by);
    const types = typeList(request.type);
    const direction = directionOf(scope, request.direction);
    const query = { from, to, types, scope, direction };
    const [cells, [all]] = await Promise.all([
      by.length === 0 ? [] : this.statistics.count(this.db, { ...query, by }),
      this.statistics.count(this.db, { ...query, by: [] }),
    ]);
    cells.sort((a, b) => compareCells(a, b, by));
    const threshold = this.config.statisticsMinCell;
    const messages = suppressSmallCells(
      cells.map((c) => c.messages),
      all?.messages ?? 0,
      threshold,
    );
    const persons = suppressSmallCells(
      cells.map((c) => c.persons),
      all?.persons ?? 0,
      threshold,
    );
    return {
      from,
      to,
      by,
      threshold,
      ...(types === undefined ? {} : { types }),
      ...(direction === undefined ? {} : { direction }),
      rows: cells.map((cell, i) => ({
        ...Object.fromEntries(by.map((d) => [d, cell[d] ?? null])),
        messages: messages.cells[i],
        persons: persons.cells[i],
      })),
      total: { messages: messages.total, persons: persons.total },
    };
  }
}

function period(request: StatisticsRequest): { from: string; to: string } {
  const months = (['from', 'to'] as const).map((name) => {
    const value = request[name];
    const match = typeof value === 'string' ? MONTH.exec(value) : null;
    if (match === null) throw refuse(name, `${name} must be a month, YYYY-MM`);
    return Number(match[1]) * 12 + Number(match[2]) - 1;
  });
  if (months[0] > months[1]) throw refuse('to', 'to must not be before from');
  if (months[1] - months[0] + 1 > MAX_STATISTICS_MONTHS)
    throw refuse('to', `the period is at most ${MAX_STATISTICS_MONTHS} months`);
  return { from: request.from, to: request.to };
}

function dimensions(by: string | undefined): StatisticsDimension[] {
  if (by === undefined || by === '') return [];
  const seen: StatisticsDimension[] = [];
  for (const name of by.split(',').map((n) => n.trim())) {
    if (!(STATISTICS_DIMENSIONS as readonly string[]).includes(name))
      throw refuse('by', `unknown dimension "${name}"; use ${STATISTICS_DIMENSIONS.join(', ')}`);
    if (seen.includes(name as StatisticsDimension)) throw refuse('by', `"${name}" is repeated`);
    seen.push(name as StatisticsDimension);
  }
  return seen;
}

function typeList(type: string | undefined): string[] | undefined {
  if (type === undefined) return undefined;
  const types = [...new Set(type.split(',').map((t) => t.trim()))];
  for (const t of types) if (!KNOWN_TYPES.has(t)) throw refuse('type', `unknown message type "${t}"`);
  return types;
}

function directionOf(scope: StatisticsScope, direction: string | undefined): 'sent' | 'received' | undefined {
  if (direction === undefined) return undefined;
  if (direction !== 'sent' && direction !== 'received')
    throw refuse('direction', 'direction must be sent or received');
  if ('all' in scope)
    throw refuse('direction', 'direction is for a participant or a country administrator, not all messages');
  return direction;
}

/** Rows in the order of their dimensions' values, as `by` lists them; null last. */
function compareCells(a: StatisticsCell, b: StatisticsCell, by: readonly StatisticsDimension[]): number {
  for (const d of by) {
    const x = a[d] ?? null;
    const y = b[d] ?? null;
    if (x === y) continue;
    if (x === null) return 1;
    if (y === null) return -1;
    return x < y ? -1 : 1;
  }
  return 0;
}
