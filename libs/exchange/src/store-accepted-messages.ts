import { Inject, Injectable } from '@nestjs/common';
import { RDX_CONFIG, RdxConfig } from '@rdx/config';
import { GatewaySigner } from '@rdx/crypto';
import {
  amongStored,
  AuditEntry,
  AuditRepository,
  Database,
  Executor,
  entryIds as outboxEntryIds,
  GroupCommit,
  MessageRecord,
  MessagesRepository,
  OutboxRepository,
  READS_REGISTRY,
  REGISTRY_UNCHANGED,
  RegistryInMemory,
  registryInMemory,
  RegistryNotInMemory,
  StatisticsFact,
  StatisticsRepository,
  STORED,
  ThreadsRepository,
  TransactionOptions,
  Withheld,
  writeTogether,
} from '@rdx/persistence';
import { RDX_ATTRIBUTES, TracedSpan, Tracing } from '@rdx/telemetry';
import { CaseLinks } from './case-links';
import { Clock } from './clock';
import { Envelope } from './envelope';
import { MESSAGES_ACCEPTED } from './events';
import { Announcement, OutboxRelay } from './outbox-relay';
import { RecipientResolver } from './recipient-resolver';
import { Signed, Signers } from './signers';
import { statisticsFacts } from './statistics-facts';

/** A message verified and valid, ready to be stored. */
export interface Verified {
  jws: string;
  digest: string;
  envelope: Envelope;
  signed: Signed;
  receivedAt: string;
  /** Its place in a case's conversation, if it links to another message or is timed. */
  links?: CaseLinks;
  /** Its commit span, while tracing is on. */
  trace?: TracedSpan;
}

/** What the publisher is answered once its message is stored. */
export interface Accepted {
  messageId: string;
  status: 'accepted';
  receivedAt: string;
  recipients: string[];
  withheld: Withheld[];
  receipt: string;
}

/** Messages written per transaction at most. */
const MAX_BATCH = 256;
const READING_THE_REGISTRY: TransactionOptions = { prelude: READS_REGISTRY };

/**
 * The second half of publishing: the messages verified while one batch is being written are
 * written together as the next (group commit), each answered only once its batch has committed.
 */
@Injectable()
export class StoreAcceptedMessages {
  private readonly batches: GroupCommit<Verified, Accepted | undefined>;

  constructor(
    @Inject(RDX_CONFIG) private readonly config: RdxConfig,
    @Inject(Database) private readonly db: Database,
    @Inject(MessagesRepository) private readonly messages: MessagesRepository,
    @Inject(OutboxRepository) private readonly outbox: OutboxRepository,
    @Inject(AuditRepository) private readonly audit: AuditRepository,
    @Inject(StatisticsRepository) private readonly statistics: StatisticsRepository,
    @Inject(Signers) private readonly signers: Signers,
    @Inject(RecipientResolver) private readonly resolver: RecipientResolver,
    @Inject(GatewaySigner) private readonly gateway: GatewaySigner,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(Tracing) private readonly tracing: Tracing,
    @Inject(ThreadsRepository) private readonly threads: ThreadsRepository,
  ) {
    this.batches = new GroupCommit((batch) => this.store(batch), {
      maxBatch: MAX_BATCH,
      lingerMs: config.batchLingerMs,
    });
  }

  /**
   * Stores one message with the others of the moment. Undefined when its id is already taken;
   * an RdxError when it may not be stored after all (its key revoked meanwhile, a recipient unknown).
   */
  execute(message: Verified): Promise<Accepted | undefined> {
    if (!this.tracing.enabled) return this.batches.submit(message);
    return this.submitTraced(message);
  }

  /** `execute` in a span of the message's trace from its submission to its batch's commit. */
  private async submitTraced(message: Verified): Promise<Accepted | undefined> {
    const trace = this.tracing.startCommit(message.envelope.id, message.envelope.type);
    try {
      const accepted = await this.batches.submit({ ...message, trace });
      trace.end();
      return accepted;
    } catch (error) {
      trace.end(error);
      throw error;
    }
  }

  /**
   * Writes a batch of verified, valid messages: for each, its recipients, signed receipt, row,
   * audit record, and the batch's outbox event. A message whose id is already stored (or taken
   * earlier in the batch) gets undefined; one that cannot be routed, its own error.
   *
   * On PostgreSQL the batch goes as one statement, atomic by itself, decided on the registry as
   * this process last read it and written only if the registry is still at that version: one
   * round trip instead of four (BEGIN, messages, the rest, COMMIT). When it has changed, nothing
   * is written and the batch goes the long way, in a transaction that reads the registry again.
   */
  private async store(batch: Verified[]): Promise<(Accepted | undefined | Error)[]> {
    if (this.tracing.enabled)
      for (const item of batch) item.trace?.span.setAttribute(RDX_ATTRIBUTES.batchSize, batch.length);
    // A message linked into a case changes the message it refers to: the long way, in a transaction.
    const linked = batch.some((item) => item.links !== undefined);
    const inMemory = this.db.dialect === 'postgres' && !linked ? registryInMemory(this.db) : undefined;
    const answers = inMemory && (await this.storeAtOnce(batch, inMemory));
    return answers ?? this.storeInTransaction(batch);
  }

  private async storeInTransaction(batch: Verified[]): Promise<(Accepted | undefined | Error)[]> {
    let announcement: Announcement | undefined;
    // The registry's version is read with the BEGIN: keys, owners and subscriptions come from memory.
    const answers = await this.db.transaction(async (tx) => {
      const { outcomes, rows } = await this.decide(tx, batch);
      const stored = await this.messages.insertNew(
        tx,
        rows.map((r) => r.message),
      );
      const kept = rows.filter((r) => stored.has(r.message.id));
      const announced = kept.filter((r) => r.recipients.length > 0).map((r) => r.message.id);
      const at = this.clock.now();
      // The rest of the batch in one statement; the outbox entry's id comes back from it.
      const written = await writeTogether(tx, [
        ...this.messages.recipientWrites(tx, kept),
        ...this.audit.appendWrites(tx, kept.map(acceptedEntry)),
        ...this.statistics.recordWrites(
          tx,
          kept.flatMap((r) => r.facts),
        ),
        ...(announced.length === 0
          ? []
          : [
              this.outbox.addWrite(
                tx,
                announced,
                MESSAGES_ACCEPTED,
                at.toISOString(),
                this.relay.leaseUntil(at),
              ),
            ]),
      ]);
      for (const row of kept) if (row.links !== undefined) await this.recordLinks(tx, row, at.toISOString());
      if (announced.length > 0)
        announcement = {
          id: outboxEntryIds(written)[0],
          messageIds: announced,
          traceParents: traceParentsOf(kept),
        };
      return settle(outcomes, stored);
    }, READING_THE_REGISTRY);
    // Committed: the events go to the broker now, while the answers go back.
    if (announcement !== undefined) this.relay.publishCommitted([announcement]);
    return answers;
  }

  /**
   * The batch in one statement, if the registry is still as this process last read it and all
   * in memory; undefined, with nothing written, if not.
   */
  private async storeAtOnce(
    batch: Verified[],
    { ex, unchanged }: RegistryInMemory,
  ): Promise<(Accepted | undefined | Error)[] | undefined> {
    let decided: Decided;
    try {
      decided = await this.decide(ex, batch);
    } catch (error) {
      if (error instanceof RegistryNotInMemory) return undefined;
      throw error;
    }
    const { outcomes, rows } = decided;
    const candidates = rows.filter((r) => r.recipients.length > 0).map((r) => r.message.id);
    const at = this.clock.now();
    // Every write depends on the guard: the messages are written only if the registry is
    // unchanged, the rest only for the messages written. Even a batch all refused is checked.
    const [result] = await writeTogether<{ unchanged: boolean; stored: string[]; entry: string | null }>(
      this.db,
      [
        unchanged,
        this.messages.insertNewWrite(
          rows.map((r) => r.message),
          `EXISTS (SELECT FROM ${REGISTRY_UNCHANGED})`,
        ),
        ...this.messages.recipientWrites(this.db, rows, true),
        ...this.audit.appendWritesWhere(rows.map(acceptedEntry), amongStored('subject')),
        ...this.statistics.recordWritesWhere(
          rows.flatMap((r) => r.facts),
          amongStored('message_id'),
        ),
        ...(candidates.length === 0
          ? []
          : [
              {
                ...this.outbox.addWriteWhere(
                  candidates,
                  MESSAGES_ACCEPTED,
                  at.toISOString(),
                  this.relay.leaseUntil(at),
                  amongStored('id'),
                ),
                name: ANNOUNCED,
              },
            ]),
        {
          sql: `SELECT EXISTS (SELECT FROM ${REGISTRY_UNCHANGED}) AS unchanged,
            ARRAY(SELECT id FROM ${STORED}) AS stored,
            ${candidates.length === 0 ? 'NULL' : `(SELECT id FROM ${ANNOUNCED})`} AS entry`,
          params: [],
          prepare: true,
        },
      ],
    );
    if (!result.unchanged) return undefined;
    const stored = new Set(result.stored);
    if (result.entry !== null) {
      const messageIds = candidates.filter((id) => stored.has(id));
      this.relay.publishCommitted([
        { id: Number(result.entry), messageIds, traceParents: traceParentsOf(rows) },
      ]);
    }
    return settle(outcomes, stored);
  }

  /** A stored message's links, what they do to the message it refers to, and its reply deadlines. */
  private async recordLinks(tx: Executor, row: Row, at: string): Promise<void> {
    const { links, dueAt, replaces } = row.links!;
    await this.threads.record(tx, links, row.message.source, at);
    // The figures count what stands: an update replaces what it supersedes, a withdrawal takes it back.
    if (replaces.length > 0) await this.statistics.forget(tx, replaces);
    if (dueAt !== undefined) await this.threads.addDeadlines(tx, row.message.id, row.recipients, dueAt);
  }

  /**
   * What becomes of each message of the batch, by the registry as `ex` reads it: refused (its key
   * revoked or its owner suspended since verification, a recipient unknown), a duplicate within
   * the batch (undefined), or accepted, with the row to write and its receipt, signed here.
   */
  private async decide(ex: Executor, batch: Verified[]): Promise<Decided> {
    const seen = new Set<string>();
    const distinct = batch.map(({ envelope }) => {
      if (seen.has(envelope.id)) return false;
      seen.add(envelope.id);
      return true;
    });
    // Keys and owners as they are now: a revocation or suspension since verification counts.
    const refusals = await this.signers.requireStillActive(
      ex,
      batch.map((item) => item.signed),
      this.clock.now(),
    );
    const routings = await this.resolver.resolveMany(
      ex,
      batch.map(({ envelope, links }) =>
        links === undefined || links.implied.length === 0
          ? envelope
          : { ...envelope, recipients: [...envelope.recipients, ...links.implied] },
      ),
    );
    // The receipts are signed side by side, on the thread pool.
    const taken = batch.map((item, i) => {
      const routing = routings[i];
      const refusal = refusals[i] ?? (routing instanceof Error ? routing : undefined);
      if (refusal !== undefined || routing instanceof Error || !distinct[i]) return refusal;
      const { recipients, withheld } = routing;
      const receipt = this.gateway.sign(
        {
          iss: this.config.gatewayId,
          messageId: item.envelope.id,
          source: item.envelope.source,
          receivedAt: item.receivedAt,
          recipients,
          withheld,
          digest: item.digest,
        },
        'rdx-receipt+jws',
      );
      return { recipients, withheld, receipt };
    });
    const receipts = await Promise.all(
      taken.map((t) => (t === undefined || t instanceof Error ? undefined : t.receipt)),
    );
    const outcomes: (Accepted | undefined | Error)[] = [];
    const rows: Row[] = [];
    for (const [i, item] of batch.entries()) {
      const routing = taken[i];
      if (routing === undefined || routing instanceof Error) {
        outcomes.push(routing);
        continue;
      }
      const { envelope, digest, receivedAt } = item;
      const { recipients, withheld } = routing;
      const receipt = receipts[i]!;
      rows.push({
        message: {
          id: envelope.id,
          source: envelope.source,
          type: envelope.type,
          kid: item.signed.key.kid,
          tlp: envelope.tlp,
          digest,
          jws: item.jws,
          receivedAt,
          withheld,
          receipt,
          purgedAt: null,
          traceParent: item.trace?.traceParent,
        },
        recipients,
        links: item.links,
        facts: statisticsFacts({ ...envelope, receivedAt, recipients }, this.config.gatewayId),
      });
      outcomes.push({
        messageId: envelope.id,
        status: 'accepted',
        receivedAt,
        recipients,
        withheld,
        receipt,
      });
    }
    return { outcomes, rows };
  }
}

/** A message to write, with its recipients, its place in a case, and the facts its statistics count. */
type Row = { message: MessageRecord; recipients: string[]; links?: CaseLinks; facts: StatisticsFact[] };

/** `StoreAcceptedMessages.decide`'s answer: each message's outcome, and the rows to write. */
interface Decided {
  outcomes: (Accepted | undefined | Error)[];
  rows: Row[];
}

/** The name of the outbox write in the one-statement batch. */
const ANNOUNCED = 'announced';

/** A stored message's audit record. */
export const acceptedEntry = ({
  message: m,
  recipients,
}: {
  message: MessageRecord;
  recipients: readonly string[];
}): AuditEntry => ({
  at: m.receivedAt,
  actor: m.source,
  action: 'message.accepted',
  subject: m.id,
  details: { type: m.type, digest: m.digest, tlp: m.tlp, recipients, withheld: m.withheld },
});

/** The messages' commit spans by id, for their broker event: undefined when none is traced. */
function traceParentsOf(rows: readonly Row[]): Map<string, string> | undefined {
  let found: Map<string, string> | undefined;
  for (const { message } of rows)
    if (message.traceParent != null) (found ??= new Map()).set(message.id, message.traceParent);
  return found;
}

/** The answers once written: undefined for a message whose id was taken after all. */
function settle(
  outcomes: readonly (Accepted | undefined | Error)[],
  stored: ReadonlySet<string>,
): (Accepted | undefined | Error)[] {
  return outcomes.map((outcome) =>
    outcome === undefined || outcome instanceof Error || stored.has(outcome.messageId) ? outcome : undefined,
  );
}
