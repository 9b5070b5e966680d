import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { AuditQueueBound } from './audit-queue-bound';
import { Database } from './database';
import { DatabaseUnavailableError } from './database-errors';
import { AuditRepository } from './repositories/audit.repository';

const INTERVAL_MS = 200;
const RETRY_AFTER_FAILURE_MS = 1000;
/** Queued rows (each an act's entries) linked per transaction at most. */
const BATCH = 100;
/**
 * How long an act may take to commit its queued entries before the chainer reads past them. Acts
 * commit in milliseconds; the shorter this is, the fewer deleted entries each read walks (30 s cost
 * 7 to 12 ms a read at 1,700 entries/s, 5 s costs 2 to 3 ms).
 */
const SETTLE_MS = 5_000;
/**
 * How often the chainer reads the queue from its start, for an act slower than that: such an
 * entry is linked within a minute (and before any read of the record, which links everything).
 */
const FULL_PASS_MS = 60_000;

/**
 * Links queued audit entries into the hash chain, a few times a second, in every worker process;
 * the chain head's lock lets one of them work at a time and the others skip their turn.
 */
@Injectable()
export class AuditChainer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('AuditChainer');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private failing = false;
  private readonly bound = new AuditQueueBound(SETTLE_MS, FULL_PASS_MS, Date.now());

  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(AuditRepository) private readonly audit: AuditRepository,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.turn().finally(() => (this.running = undefined));
    }, ms);
  }

  private async turn(): Promise<void> {
    let next = INTERVAL_MS;
    try {
      await this.linkQueued();
      if (this.failing) this.logger.log('linking audit entries again');
      this.failing = false;
    } catch (error) {
      if (!this.failing) {
        const why =
          error instanceof DatabaseUnavailableError
            ? 'the database is unavailable'
            : (error as Error).message;
        this.logger.warn(`audit entries wait to be linked: ${why}`);
      }
      this.failing = true;
      next = RETRY_AFTER_FAILURE_MS;
    }
    this.schedule(next);
  }

  /** Links what is queued above the bound, a batch per transaction, until nothing more is. */
  private async linkQueued(): Promise<void> {
    const startedAt = Date.now();
    const from = this.bound.from(startedAt);
    let after = from;
    while (!this.stopped) {
      const pass = await this.audit.link(this.db, { after, limit: BATCH });
      // Another process's chainer holds the head: it is linking them.
      if (pass === undefined) return;
      after = pass.lastId;
      if (pass.rows < BATCH) break;
    }
    if (!this.stopped) this.bound.drained(startedAt, from, after, Date.now());
  }
}
