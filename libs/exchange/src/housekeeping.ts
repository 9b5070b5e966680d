import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { RDX_CONFIG, RdxConfig } from '@rdx/config';
import {
  AuditEntry,
  AuditRepository,
  Database,
  MessagesRepository,
  RefusalCountsRepository,
  StatisticsRepository,
  TokensRepository,
} from '@rdx/persistence';
import { Clock } from './clock';
import { Periodic } from './periodic';
import { SharingPolicy } from './sharing-policy';

const PURGE_BATCH = 500;
const BATCHES_PER_ROUND = 20;
/** How long the per-minute counts of refused publishes are kept: a year, and a month to compare it with. */
export const REFUSAL_COUNTS_KEPT_DAYS = 400;

/**
 * Scheduled upkeep, in every process (each step is safe to run twice at once):
 * - retention: the payloads of messages older than their type's retention period are purged,
 *   on PostgreSQL and SQLite alike, and the purge is recorded; the audit record stays;
 * - bearer-token ids are forgotten once their tokens have expired (a replay fails on `exp`);
 * - the per-minute counts of refused publishes are kept `REFUSAL_COUNTS_KEPT_DAYS`;
 * - the statistics facts of each month over are summed (`StatisticsRepository.compactMonths`).
 */
@Injectable()
export class Housekeeping implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Housekeeping');
  private readonly rounds = new Periodic(() => this.runOnce());

  constructor(
    @Inject(RDX_CONFIG) private readonly config: RdxConfig,
    @Inject(Database) private readonly db: Database,
    @Inject(TokensRepository) private readonly tokens: TokensRepository,
    @Inject(MessagesRepository) private readonly messages: MessagesRepository,
    @Inject(AuditRepository) private readonly audit: AuditRepository,
    @Inject(RefusalCountsRepository) private readonly refusals: RefusalCountsRepository,
    @Inject(StatisticsRepository) private readonly statistics: StatisticsRepository,
    @Inject(SharingPolicy) private readonly policy: SharingPolicy,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.rounds.start(this.config.housekeepingIntervalMs);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.rounds.stop();
  }

  /** One round; returns how many payloads were purged and token ids forgotten. */
  async runOnce(): Promise<{ purged: number; tokenIds: number }> {
    try {
      const purged = await this.purgeExpired();
      const now = this.clock.now();
      const tokenIds = await this.tokens.purgeUsedTokenIds(this.db, now.toISOString());
      const kept = new Date(now.getTime() - REFUSAL_COUNTS_KEPT_DAYS * 86_400_000);
      await this.refusals.forgetBefore(this.db, kept.toISOString().slice(0, 16));
      const summed = await this.statistics.compactMonths(this.db, now);
      if (summed.length > 0) this.logger.log(`statistics summed for ${summed.join(', ')}`);
      return { purged, tokenIds };
    } catch (error) {
      this.logger.warn(`housekeeping skipped: ${(error as Error).message}`);
      return { purged: 0, tokenIds: 0 };
    }
  }

  private async purgeExpired(): Promise<number> {
    let total = 0;
    for (const [type, seconds] of this.policy.retention()) {
      for (let batch = 0; batch < BATCHES_PER_ROUND; batch++) {
        const now = this.clock.now();
        const before = new Date(now.getTime() - seconds * 1000).toISOString();
        const at = now.toISOString();
        const purged = await this.db.transaction(async (tx) => {
          const count = await this.messages.purgeExpired(tx, type, before, at, PURGE_BATCH);
          const entry: AuditEntry = {
            at,
            actor: this.config.gatewayId,
            action: 'message.purged',
            subject: type,
            details: { count, receivedBefore: before, retentionSeconds: seconds },
          };
          if (count > 0) await this.audit.append(tx, [entry]);
          return count;
        });
        total += purged;
        if (purged < PURGE_BATCH) break;
      }
    }
    if (total > 0) this.logger.log(`retention purged the payloads of ${total} message(s)`);
    return total;
  }
}
