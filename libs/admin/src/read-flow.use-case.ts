import { Inject, Injectable } from '@nestjs/common';
import { RdxError } from '@rdx/errors';
import { BacklogRepository, Database, OverviewRepository, RefusalCountsRepository } from '@rdx/persistence';
import { DEADLINE_MISSED_TYPE } from '@rdx/exchange';
import { MESSAGE_TYPES } from '@rdx/schema';
import { AdminPrincipal, requireRole } from './admin-authenticator';
import { undeliveredFor, UndeliveredView } from './read-attention.use-case';

export const FLOW_BUCKETS = { minute: 16, hour: 13, day: 10 } as const;
export type FlowBucket = keyof typeof FLOW_BUCKETS;
const BUCKET_MS: Record<FlowBucket, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };
/** The longest window, and the most buckets, one read may ask for. */
export const MAX_FLOW_DAYS = 31;
export const MAX_FLOW_BUCKETS = 500;

export interface FlowView {
  from: string;
  to: string;
  bucket: FlowBucket;
  /** Accepted messages per bucket (its start, ISO 8601), type and sender's country; empty buckets left out. */
  accepted: { at: string; type: string; country: string; count: number }[];
  /** Refused publishes, as `accepted` and by problem; type and country "unknown" where the gateway could not tell. */
  refused: { at: string; type: string; country: string; problem: string; count: number }[];
  /** Webhook deliveries not delivered, by subscription. */
  deliveries: UndeliveredView[];
}

const fail = (path: string, message: string) =>
  new RdxError('invalid-fields', message, { errors: [{ path, message }] });

/** The start of the bucket a stored time prefix names, as a full ISO 8601 time. */
const bucketStart = (prefix: string) =>
  new Date(
    prefix.length === 10 ? `${prefix}T00:00Z` : `${prefix}${prefix.length === 13 ? ':00' : ''}Z`,
  ).toISOString();

/**
 * The message flow of a window: accepted messages counted by time bucket, type and the sender's
 * country, refused ones likewise and by problem (from the per-minute counts of `RefusalTally`),
 * and the deliveries not delivered per subscription.
 */
/** The types participants publish: every type of the catalogue but the gateway's own notice. */
const PUBLISHED_TYPES = MESSAGE_TYPES.map((definition) => definition.type).filter(
  (type) => type !== DEADLINE_MISSED_TYPE,
);

@Injectable()
export class ReadFlow {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(OverviewRepository) private readonly overview: OverviewRepository,
    @Inject(BacklogRepository) private readonly backlog: BacklogRepository,
    @Inject(RefusalCountsRepository) private readonly refusals: RefusalCountsRepository,
  ) {}

  async execute(
    principal: AdminPrincipal,
    query: { from: string; to: string; bucket: FlowBucket },
  ): Promise<FlowView> {
    requireRole(principal, ['admin', 'country-admin', 'auditor']);
    const from = new Date(query.from);
    const to = new Date(query.to);
    const span = to.getTime() - from.getTime();
    if (span <= 0) throw fail('to', 'must be after from');
    if (span > MAX_FLOW_DAYS * BUCKET_MS.day) throw fail('to', `the window is at most ${MAX_FLOW_DAYS} days`);
    if (span / BUCKET_MS[query.bucket] > MAX_FLOW_BUCKETS) {
      throw fail('bucket', `at most ${MAX_FLOW_BUCKETS} buckets: choose a longer bucket or a shorter window`);
    }
    const country = principal.role === 'country-admin' ? principal.country! : undefined;
    const bucketLength = FLOW_BUCKETS[query.bucket];
    const [counts, refused, deliveries] = await Promise.all([
      this.overview.acceptedFlow(
        this.db,
        {
          from: from.toISOString(),
          to: to.toISOString(),
          bucketLength,
          // Participants' traffic: the gateway's own deadline notices are not charted.
          types: PUBLISHED_TYPES,
        },
        country,
      ),
      this.refusals.flow(this.db, { from: from.toISOString(), to: to.toISOString(), bucketLength }, country),
      undeliveredFor(this.backlog, this.db, principal),
    ]);
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      bucket: query.bucket,
      accepted: counts.map((c) => ({
        at: bucketStart(c.bucket),
        type: c.type,
        country: c.country,
        count: c.count,
      })),
      refused: refused.map((c) => ({
        at: bucketStart(c.bucket),
        type: c.type,
        country: c.country,
        problem: c.problem,
        count: c.count,
      })),
      deliveries,
    };
  }
}
