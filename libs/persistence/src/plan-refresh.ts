import type { PoolClient } from 'pg';
import { QueryRunner } from 'typeorm';
import { runStatement } from './statement';

/** How old a connection's cached plans may grow before they are made again (`PlanRefresh`). */
export const REPLAN_AFTER_MS = 60_000;

/**
 * Drops a connection's cached plans once they are `replanAfterMs` old. PostgreSQL keeps the
 * generic plan of a prepared statement for the connection's life, and never replans it as the
 * tables grow unless ANALYZE runs: a plan chosen while a table held a few rows (a new
 * deployment, the first minutes of a bench, autovacuum off or behind) can read a participant's
 * whole inbox to find three entries, and goes on doing so. `DISCARD PLANS` keeps the prepared
 * statements (node-postgres still knows them by name) and lets each be planned again against
 * the tables as they are now.
 */
export class PlanRefresh {
  /** When each PostgreSQL connection's plans were last made anew (first seen, or `DISCARD PLANS`). */
  private readonly plansMadeAt = new WeakMap<PoolClient, number>();

  constructor(
    private readonly replanAfterMs: number,
    private readonly clock: () => number,
  ) {}

  /** Makes the plans of `runner`'s PostgreSQL connection anew if they are old, before it is used. */
  async plansUpToDate(runner: QueryRunner): Promise<void> {
    const client = (await runner.connect()) as PoolClient;
    const now = this.clock();
    const madeAt = this.plansMadeAt.get(client);
    if (madeAt === undefined) {
      this.plansMadeAt.set(client, now);
    } else if (now - madeAt >= this.replanAfterMs) {
      await runStatement(runner, 'postgres', 'DISCARD PLANS', []);
      this.plansMadeAt.set(client, now);
    }
  }
}
