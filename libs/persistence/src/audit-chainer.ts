import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { Database, DatabaseUnavailableError } from './database';
import { AuditRepository } from './repositories/audit.repository';

const INTERVAL_MS = 200;
const RETRY_AFTER_FAILURE_MS = 1000;

/**
 * Links queued audit entries into the hash chain, a few times a second, in every process;
 * the chain head's lock lets one of them work at a time and the others skip their turn.
 */
@Injectable()
export class AuditChainer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('AuditChainer');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private failing = false;

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
      while (!this.stopped && (await this.audit.integrate(this.db)) > 0) {
        // More may be queued: keep linking until the queue is empty.
      }
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
}
