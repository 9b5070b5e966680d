import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Database, TokensRepository } from '@rdx/persistence';
import { Clock } from './clock';

const EVERY_MS = 60_000;

/** Forgets bearer-token ids once their tokens have expired: a replay of those fails on `exp` anyway. */
@Injectable()
export class Housekeeping implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Housekeeping');
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(TokensRepository) private readonly tokens: TokensRepository,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.runOnce(), EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** One round; returns how many token ids were forgotten. */
  async runOnce(): Promise<number> {
    try {
      return await this.tokens.purgeUsedTokenIds(this.db, this.clock.now().toISOString());
    } catch (error) {
      this.logger.warn(`housekeeping skipped: ${(error as Error).message}`);
      return 0;
    }
  }
}
