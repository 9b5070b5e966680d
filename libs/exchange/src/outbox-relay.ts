import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { RDX_CONFIG, RdxConfig } from '@rdx/config';
import { BusEvent, MessageBus } from '@rdx/messaging';
import { Database, DatabaseUnavailableError, MessagesRepository, OutboxRepository } from '@rdx/persistence';
import { Publishing, Tracing } from '@rdx/telemetry';
import { Clock } from './clock';
import { MESSAGES_ACCEPTED } from './events';

/** An outbox entry: the messages it announces. */
export interface Announcement {
  id: number;
  messageIds: readonly string[];
  /** The stored traceparents of its messages that are traced (tracing on). */
  traceParents?: ReadonlyMap<string, string>;
}

/** Outbox entries claimed at a time: each announces up to a publish batch's messages. */
const CLAIM = 8;
/** Stalled messages announced again at a time. */
const STALLED_BATCH = 256;
const IDLE_POLL_MS = 250;
const RETRY_AFTER_FAILURE_MS = 1000;
/** How long confirmed events wait, at most, to leave the outbox together. */
const FORGET_AFTER_MS = 200;

/**
 * Publishes committed outbox entries to the broker and deletes them once the broker has
 * confirmed them. Entries are leased while in flight; a publisher that dies leaves its lease
 * to run out, and then any instance's relay (the sweeper) publishes them again.
 */
@Injectable()
export class OutboxRelay implements OnApplicationShutdown {
  private readonly logger = new Logger('OutboxRelay');
  private running = false;
  private stopped = true;
  private wake: (() => void) | undefined;
  private kicked = false;
  private loop: Promise<void> | undefined;
  private lastFailure: string | undefined;
  private nextStallCheck = 0;
  /** Outbox entries whose events the broker confirmed, not yet deleted. */
  private confirmed: number[] = [];
  private forgetTimer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(RDX_CONFIG) private readonly config: RdxConfig,
    @Inject(Database) private readonly db: Database,
    @Inject(OutboxRepository) private readonly outbox: OutboxRepository,
    @Inject(MessageBus) private readonly bus: MessageBus,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(Tracing) private readonly tracing: Tracing,
    @Inject(MessagesRepository) private readonly messages: MessagesRepository,
  ) {}

  /** Starts the relay loop (idempotent). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopped = false;
    this.loop = this.run();
  }

  /** Something was just committed: publish now rather than at the next poll. */
  kick(): void {
    this.kicked = true;
    this.wake?.();
  }

  /**
   * Publishes the events of outbox entries just committed, leased to this process, then removes
   * the entries: no claim, no polling. If this fails or the process dies, the entries wait for
   * the sweeper (at once after a broker refusal, else when the lease ends).
   */
  publishCommitted(entries: readonly Announcement[]): void {
    if (entries.length === 0) return;
    const entryIds = entries.map((entry) => entry.id);
    const traced = this.tracing.enabled ? this.traced(entries) : undefined;
    this.bus
      .publish(traced?.events ?? entries.map(announcing))
      .then(
        () => {
          traced?.end();
          this.forget(entryIds);
        },
        async (error: unknown) => {
          traced?.end(error);
          const retryAt = new Date(this.clock.now().getTime() + RETRY_AFTER_FAILURE_MS).toISOString();
          await this.outbox.release(this.db, entryIds, retryAt);
          throw error;
        },
      )
      .catch((error: unknown) => {
        this.noteFailure(error);
        this.kick();
      });
  }

  /**
   * Confirmed events leave the outbox a moment later, the batches of that moment in one
   * statement: one commit for many batches rather than one each. An entry still there when its
   * lease ends (this process died first) is published again, and routing ignores the duplicate.
   */
  private forget(entryIds: readonly number[]): void {
    this.confirmed.push(...entryIds);
    this.forgetTimer ??= setTimeout(() => void this.forgetConfirmed(), this.forgetDelayMs()).unref();
  }

  /** Well inside the lease, so that the sweeper does not publish again what was confirmed. */
  private forgetDelayMs(): number {
    return Math.min(FORGET_AFTER_MS, Math.floor(this.config.outboxSweepAfterMs / 4));
  }

  private async forgetConfirmed(): Promise<void> {
    clearTimeout(this.forgetTimer);
    this.forgetTimer = undefined;
    const entryIds = this.confirmed;
    this.confirmed = [];
    if (entryIds.length === 0) return;
    await this.outbox.remove(this.db, entryIds).catch((error: unknown) => this.noteFailure(error));
  }

  /** Says once why entries wait, not again for each attempt that fails the same way. */
  private noteFailure(error: unknown): void {
    const why =
      error instanceof DatabaseUnavailableError ? 'the database is unavailable' : (error as Error).message;
    if (why !== this.lastFailure) this.logger.warn(`outbox entries wait: ${why}`);
    this.lastFailure = why;
  }

  /**
   * The entries' events with their messages' trace contexts in the headers, and the PRODUCER
   * spans that those name, to end when the broker has confirmed (or refused) them.
   */
  private traced(entries: readonly Announcement[]): { events: BusEvent[]; end(error?: unknown): void } {
    const spans: Publishing[] = [];
    const events = entries.map((entry) => {
      const event = announcing(entry);
      const publishing =
        entry.traceParents &&
        this.tracing.startPublish({ ...event, messageIds: entry.messageIds }, entry.traceParents);
      if (publishing === undefined) return event;
      spans.push(publishing);
      return { ...event, headers: publishing.headers };
    });
    return { events, end: (error?: unknown) => spans.forEach((span) => span.end(error)) };
  }

  /**
   * Entries read back from the outbox, with their messages' stored trace contexts; as they are
   * if those cannot be read (tracing never holds an event back).
   */
  private async withTraceParents(entries: readonly Announcement[]): Promise<readonly Announcement[]> {
    const traceParents = await this.messages
      .traceParents(
        this.db,
        entries.flatMap((entry) => entry.messageIds),
      )
      .catch(() => undefined);
    return traceParents === undefined ? entries : entries.map((entry) => ({ ...entry, traceParents }));
  }

  /** Leases outbox entries from now for as long as the sweeper waits. */
  leaseUntil(now: Date): string {
    return new Date(now.getTime() + this.config.outboxSweepAfterMs).toISOString();
  }

  /** Publishes what is due once; returns how many entries the broker confirmed. */
  async drainOnce(): Promise<number> {
    const now = this.clock.now();
    const leaseUntil = new Date(now.getTime() + this.config.outboxSweepAfterMs).toISOString();
    const entries = await this.db.transaction((tx) =>
      this.outbox.claim(tx, now.toISOString(), leaseUntil, CLAIM),
    );
    if (entries.length === 0) return 0;
    const ids = entries.map((entry) => entry.id);
    const traced = this.tracing.enabled ? this.traced(await this.withTraceParents(entries)) : undefined;
    try {
      await this.bus.publish(traced?.events ?? entries.map(announcing));
      traced?.end();
    } catch (error) {
      traced?.end(error);
      const retryAt = new Date(this.clock.now().getTime() + RETRY_AFTER_FAILURE_MS).toISOString();
      await this.outbox.release(this.db, ids, retryAt).catch(() => undefined);
      throw error;
    }
    await this.outbox.remove(this.db, ids);
    return entries.length;
  }

  /**
   * The safety net under the broker: a message whose recipients still wait, long after it was
   * accepted, with no outbox event left (its event was dead-lettered, or a queue was purged),
   * gets a new event. Routing is idempotent, so an extra event costs nothing but work.
   */
  async reannounceStalled(): Promise<string[]> {
    const now = this.clock.now();
    const before = new Date(now.getTime() - this.config.stalledDeliveryAfterMs).toISOString();
    const ids = await this.db.transaction((tx) =>
      this.outbox.reannounceStalled(tx, before, MESSAGES_ACCEPTED, now.toISOString(), STALLED_BATCH),
    );
    if (ids.length > 0)
      this.logger.warn(`announced again ${ids.length} message(s) whose delivery had stalled`);
    return ids;
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
    this.running = false;
    await this.forgetConfirmed();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let published = 0;
      try {
        this.kicked = false;
        if (Date.now() >= this.nextStallCheck) {
          this.nextStallCheck =
            Date.now() + Math.min(30_000, Math.max(500, this.config.stalledDeliveryAfterMs / 2));
          await this.reannounceStalled();
        }
        published = await this.drainOnce();
        if (this.lastFailure !== undefined) {
          this.logger.log('publishing to the broker again');
          this.lastFailure = undefined;
        }
      } catch (error) {
        this.noteFailure(error);
        await this.sleep(RETRY_AFTER_FAILURE_MS);
        continue;
      }
      if (published < CLAIM && !this.kicked) await this.sleep(IDLE_POLL_MS);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        done();
      };
    });
  }
}

/**
 * One broker event per outbox entry, for all its messages: one publish and one confirm for a
 * batch. Entries written by versions that announced each message alone are announced the same way.
 */
function announcing(entry: Announcement): BusEvent {
  return { pattern: MESSAGES_ACCEPTED, id: `outbox-${entry.id}`, payload: { messageIds: entry.messageIds } };
}
