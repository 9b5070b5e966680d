import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { RDX_CONFIG, RdxConfig } from '@rdx/config';
import {
  AuditEntry,
  AuditRepository,
  Database,
  DatabaseUnavailableError,
  GroupCommit,
  InboxRepository,
  MessageRecord,
  MessagesRepository,
  ParticipantsRepository,
  QueueWindow,
  READS_REGISTRY,
  SubscriptionRecord,
  SubscriptionsRepository,
  TransactionOptions,
  WebhookDeliveriesRepository,
  WebhookDeliveryRecord,
  writeTogether,
} from '@rdx/persistence';
import { RdxBusContext } from '@rdx/messaging';
import { Metrics, TracedSpan, Tracing } from '@rdx/telemetry';
import { Clock } from './clock';
import { DeliveriesScheduled } from './deliveries-scheduled';
import { QueueFloors } from './queue-floors';
import { Redaction } from './redaction';
import { SharingPolicy } from './sharing-policy';
import { acceptsSource } from './subscription.view';

/** Messages read from one recipient's queue per batch at most. */
const DUE_LIMIT = 500;
/**
 * How long after its acceptance a message may still commit (clock differences between the API's
 * and the worker's machines included), for where routing starts reading a queue (`QueueFloors`).
 */
const QUEUE_SETTLE_MS = 5_000;
/** Routing reads and writes by key alone (see `TransactionOptions.planByKeys`), and reads the registry. */
const ROUTING: TransactionOptions = { planByKeys: true, prelude: READS_REGISTRY };

/**
 * The worker's half of routing: writes an accepted message into each recipient's inbox, at most
 * once per recipient, schedules a webhook delivery for each of the recipient's webhook
 * subscriptions that asks for it, and records it all, in one transaction. The broker is
 * acknowledged only after it commits, so a crash here means the event comes again.
 *
 * Messages accepted earlier for the same recipient that are still not in its inbox (their events
 * are late: another worker, a broker outage) are written first, so each inbox, and each
 * subscription's webhooks, follow the order in which the gateway accepted the messages.
 */
@Injectable()
export class RouteMessage {
  constructor(
    @Inject(RDX_CONFIG) private readonly config: RdxConfig,
    @Inject(Database) private readonly db: Database,
    @Inject(MessagesRepository) private readonly messages: MessagesRepository,
    @Inject(InboxRepository) private readonly inbox: InboxRepository,
    @Inject(ParticipantsRepository) private readonly participants: ParticipantsRepository,
    @Inject(Redaction) private readonly redaction: Redaction,
    @Inject(SharingPolicy) private readonly policy: SharingPolicy,
    @Inject(SubscriptionsRepository) private readonly subscriptions: SubscriptionsRepository,
    @Inject(WebhookDeliveriesRepository) private readonly deliveries: WebhookDeliveriesRepository,
    @Inject(AuditRepository) private readonly audit: AuditRepository,
    @Inject(DeliveriesScheduled) private readonly scheduled: DeliveriesScheduled,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(Metrics) private readonly metrics: Metrics,
    @Inject(Tracing) private readonly tracing: Tracing,
  ) {}

  /** The routing spans' traceparents of the messages being routed (tracing on), for their deliveries. */
  private readonly traceParents = new Map<string, string>();

  private readonly floors = new QueueFloors(QUEUE_SETTLE_MS);

  /** `rdx_publish_to_inbox_seconds` of each message type, its labels hashed once. */
  private readonly toInbox = new Map<string, ReturnType<Metrics['publishToInbox']['labels']>>();

  /**
   * Group commit: the events that arrive while a batch is being routed form the next batch. It
   * does not linger for more: each event already carries a publish batch, gathered by the API.
   */
  private readonly batches = new GroupCommit<string, undefined>((ids) => this.routeBatch(ids), {
    maxBatch: 256,
  });

  /** Routes one message; resolves once it is committed, in a batch with the others of the moment. */
  async execute(messageId: string): Promise<void> {
    await this.batches.submit(messageId);
  }

  /**
   * Routes messages announced together; resolves once all are committed, rejects if one fails.
   * With the broker event's `context` and tracing on, each message that the event's headers say
   * is traced is routed in a CONSUMER span of its trace.
   */
  async executeAll(messageIds: readonly string[], context?: RdxBusContext): Promise<void> {
    if (!this.tracing.enabled || context === undefined) {
      await this.batches.submitAll(messageIds);
      return;
    }
    const spans = this.tracing.startRoutes({
      id: context.getMessageId(),
      pattern: context.getPattern(),
      messageIds,
      headers: context.getHeaders(),
    });
    for (const [id, span] of spans) this.traceParents.set(id, span.traceParent);
    try {
      await this.batches.submitAll(messageIds);
      spans.forEach((span) => span.end());
    } catch (error) {
      spans.forEach((span) => span.end(error));
      throw error;
    } finally {
      this.forgetSpans(spans);
    }
  }

  private forgetSpans(spans: ReadonlyMap<string, TracedSpan>): void {
    for (const [id, span] of spans)
      if (this.traceParents.get(id) === span.traceParent) this.traceParents.delete(id);
  }

  /** A batch that fails is routed again message by message, so that one bad message fails alone. */
  private async routeBatch(ids: string[]): Promise<(undefined | Error)[]> {
    try {
      await this.executeMany(ids);
      return ids.map(() => undefined);
    } catch (error) {
      if (ids.length === 1 || error instanceof DatabaseUnavailableError) throw error;
      const outcomes: (undefined | Error)[] = [];
      for (const id of ids) {
        outcomes.push(
          await this.executeMany([id]).then(
            () => undefined,
            (e: unknown) => (e instanceof Error ? e : new Error(String(e))),
          ),
        );
      }
      return outcomes;
    }
  }

  /**
   * Routes a batch of messages in one transaction: one lock per recipient's counter, one write
   * of all the new inbox entries, one audit append. Events delivered together share it.
   */
  async executeMany(messageIds: readonly string[]): Promise<void> {
    let read:
      { atMs: number; windows: Map<string, QueueWindow>; due: Map<string, MessageRecord[]> } | undefined;
    const webhookDeliveries = await this.db.transaction(async (tx) => {
      const at = this.clock.now().toISOString();
      const recipients = await this.messages.recipientsOf(tx, [...new Set(messageIds)]);
      if (recipients.length === 0) return [];
      // Each recipient gets, in acceptance order, everything accepted for it up to the newest
      // of this batch's messages for it: late events of older messages cannot reorder its inbox.
      // (A message already routed, its event come again, finds nothing left in the queue.)
      const windows = this.floors.windows(recipients);
      const lastSeq = await this.inbox.lockCounters(tx, [...windows.keys()]);
      // The bodies only of the types whose fields the policy may strip: nothing else reads them here.
      const due = await this.messages.dueForInbox(
        tx,
        windows,
        this.redaction.typesWithRestrictedFields(),
        DUE_LIMIT,
      );
      read = { atMs: Date.parse(at), windows, due };
      const kinds = new Map(
        (await this.participants.findMany(tx, [...windows.keys()])).map((p) => [p.id, p.kind]),
      );
      const types = new Set([...due.values()].flatMap((list) => list.map((m) => m.type)));
      const webhooks = webhooksByRecipient(await this.subscriptions.forTypes(tx, [...types]));

      const entries: { participantId: string; seq: number; messageId: string; redactedJws: string | null }[] =
        [];
      const deliveries: WebhookDeliveryRecord[] = [];
      const routed: { messageId: string; participantId: string; receivedAt: string }[] = [];
      const delivered: { messageId: string; participantId: string }[] = [];
      const audit: AuditEntry[] = [];
      // Fields the policy reserves for other kinds of participant: such a recipient gets a
      // redacted copy. The copies are signed side by side, on the thread pool.
      const copies = await Promise.all(
        [...due].flatMap(([participant, list]) =>
          list.map((m) => this.redaction.copyFor(m, participant, kinds.get(participant)!)),
        ),
      );
      let copy = 0;
      for (const [participant, list] of due) {
        let seq = lastSeq.get(participant)!;
        for (const m of list) {
          const redacted = copies[copy++] ?? null;
          entries.push({ participantId: participant, seq: ++seq, messageId: m.id, redactedJws: redacted });
          routed.push({ messageId: m.id, participantId: participant, receivedAt: m.receivedAt });
          const endpoints = this.webhooksFor(webhooks.get(m.type)?.get(participant) ?? [], m);
          for (const subscriptionId of endpoints)
            deliveries.push(this.newDelivery(subscriptionId, participant, m, seq, at));
          // A pull recipient has it once it is in its inbox; a webhook recipient once its endpoint took it.
          if (endpoints.length === 0) delivered.push({ messageId: m.id, participantId: participant });
          audit.push({
            at,
            actor: this.config.gatewayId,
            action: 'message.delivered',
            subject: m.id,
            details: {
              recipient: participant,
              channel: 'inbox',
              ...(redacted === null ? {} : { redacted: true }),
            },
          });
        }
      }
      if (entries.length === 0) return [];
      // One statement: the entries, the counters moved on, the queues, the deliveries, the record.
      await writeTogether(tx, [
        ...this.inbox.insertNumberedWrites(tx, entries, at),
        ...this.messages.dequeueWrites(tx, routed),
        ...this.deliveries.createWrites(tx, deliveries),
        ...this.messages.deliveredWrites(tx, delivered, at),
        ...this.audit.appendWrites(tx, audit),
      ]);
      return deliveries;
    }, ROUTING);
    // Committed: what was read is routed, and the queues need not be read from before it again.
    if (read !== undefined) {
      this.floors.routed(read.atMs, read.windows, read.due, DUE_LIMIT);
      this.observeRouted(read.due);
    }
    if (webhookDeliveries.length > 0)
      this.scheduled.notify([...new Set(webhookDeliveries.map((d) => d.subscriptionId))]);
  }

  /**
   * `rdx_publish_to_inbox_seconds`: once per inbox entry just committed (a message routed to its
   * recipients in different transactions is observed in each; a duplicate event routes nothing).
   */
  private observeRouted(due: ReadonlyMap<string, readonly MessageRecord[]>): void {
    const now = this.clock.now().getTime();
    for (const list of due.values()) {
      for (const m of list) {
        let histogram = this.toInbox.get(m.type);
        if (histogram === undefined)
          this.toInbox.set(m.type, (histogram = this.metrics.publishToInbox.labels(m.type)));
        histogram.observe((now - Date.parse(m.receivedAt)) / 1000);
      }
    }
  }

  /** Of a recipient's active webhook subscriptions for the message's type, those that ask for it. */
  private webhooksFor(candidates: readonly SubscriptionRecord[], message: MessageRecord): string[] {
    return candidates
      .filter((s) => this.policy.allowsPurpose(message.type, s.purpose) && acceptsSource(s, message.source))
      .map((s) => s.id);
  }

  private newDelivery(
    subscriptionId: string,
    participantId: string,
    message: MessageRecord,
    seq: number,
    at: string,
  ): WebhookDeliveryRecord {
    return {
      id: `msg_${randomUUID().replace(/-/g, '')}`,
      subscriptionId,
      participantId,
      messageId: message.id,
      seq,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: at,
      lastStatusCode: null,
      lastError: null,
      createdAt: at,
      deliveredAt: null,
      failedAt: null,
      // Its attempts' parent: the span routing this message now, if it is traced.
      traceParent: this.traceParents.get(message.id),
    };
  }
}

/** The webhook subscriptions among `byType`, by type and then by subscriber, in id order. */
function webhooksByRecipient(
  byType: ReadonlyMap<string, readonly SubscriptionRecord[]>,
): Map<string, Map<string, SubscriptionRecord[]>> {
  const index = new Map<string, Map<string, SubscriptionRecord[]>>();
  for (const [type, subscriptions] of byType) {
    const bySubscriber = new Map<string, SubscriptionRecord[]>();
    for (const s of subscriptions) {
      if (s.deliveryMode !== 'webhook') continue;
      const list = bySubscriber.get(s.participantId);
      if (list === undefined) bySubscriber.set(s.participantId, [s]);
      else list.push(s);
    }
    index.set(type, bySubscriber);
  }
  return index;
}
