import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Database, RefusalCount, RefusalCountsRepository } from '@rdx/persistence';
import { Clock } from './clock';

/** How often the counts of the refusals seen are written. */
export const REFUSAL_FLUSH_MS = 2000;
/** Distinct (minute, type, country, problem) kept while the database does not answer: beyond, new ones are dropped. */
const MAX_PENDING = 10_000;

/**
 * Counts refused publishes in memory and writes the counts every `REFUSAL_FLUSH_MS`, in one
 * statement, off the request: a refusal costs the request a map update, however many there are,
 * and the database one upsert per flush. Labels are bounded (catalogue types, registered
 * countries, problem names, or "unknown"). Counts of a failed write are kept for the next.
 */
@Injectable()
export class RefusalTally implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('RefusalTally');
  private pending = new Map<string, RefusalCount>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;

  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(RefusalCountsRepository) private readonly counts: RefusalCountsRepository,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  add(type: string, country: string, problem: string): void {
    const minute = this.clock.now().toISOString().slice(0, 16);
    const key = `${minute} ${type} ${country} ${problem}`;
    const held = this.pending.get(key);
    if (held !== undefined) held.count += 1;
    else if (this.pending.size < MAX_PENDING)
      this.pending.set(key, { minute, type, country, problem, count: 1 });
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.flush(), REFUSAL_FLUSH_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  /** Writes the counts held; a write already under way is waited for instead. */
  flush(): Promise<void> {
    this.flushing ??= this.write().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async write(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    try {
      await this.counts.add(this.db, [...batch.values()]);
    } catch (error) {
      // Kept for the next flush, added to what came meanwhile.
      for (const [key, count] of batch) {
        const held = this.pending.get(key);
        if (held !== undefined) held.count += count.count;
        else if (this.pending.size < MAX_PENDING) this.pending.set(key, count);
      }
      this.logger.warn(`refusal counts not written yet: ${(error as Error).message}`);
    }
  }
}
