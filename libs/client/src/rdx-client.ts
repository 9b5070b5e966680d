import { randomUUID } from 'node:crypto';
import { SchemaRegistry } from '@rdx/schema';
import type { JWK } from 'jose';
import { AgencySigner } from './agency-signer';
import { RdxInvalidData, RdxVerificationFailed } from './errors';
import { KeyDirectory } from './key-directory';
import { DEFAULT_RETRY, GatewayTransport, RetryPolicy } from './transport';
import { OriginVerifier, VerifiedMessage } from './verifier';
import type {
  AckStatus,
  Delivery,
  DeliveryStatus,
  InboxItemWire,
  InboxPage,
  MessageStatus,
  PublishAnswer,
  Receipt,
  Subscription,
  SubscriptionRequest,
  ThreadView,
  Tlp,
} from './views';
import { CSV_ACCEPT, Statistics, StatisticsQuery, statisticsPath } from './statistics';

/** The catalogue type of a withdrawal (`RdxClient.withdraw`). */
export const WITHDRAWAL_TYPE = 'org.asean.rdx.withdrawal.v1';

export interface RdxClientOptions {
  /** The gateway's base URL, e.g. `https://rdx.example`. */
  gateway: string;
  /** This agency's participant id, e.g. `KH.CNP`. */
  participant: string;
  /** The agency's private JWK (with its kid), or `signer` for a key held elsewhere (an HSM). */
  privateJwk?: JWK & { kid: string };
  signer?: AgencySigner;
  /** The gateway's identity: the audience of bearer tokens, the issuer of receipts. */
  gatewayId?: string;
  retry?: Partial<RetryPolicy>;
  /** The schema library to check `data` against before sending; `false` sends unchecked. */
  schemas?: SchemaRegistry | false;
}

export interface SendOptions {
  /** Participants to name in `recipients`. */
  to?: string[];
  tlp?: Tlp;
  handling?: string[];
  subject?: string;
  /** The message id: a new UUID unless given (give the same one to send the same message again). */
  id?: string;
  time?: Date;
  /** The id of the message this one answers (`inreplyto`): it reaches that message's sender. */
  inReplyTo?: string;
  /** The id of an earlier message of yours, of the same type, that this one updates (`supersedes`). */
  supersedes?: string;
  /** After this time the message is no longer delivered to anyone who has not had it (`expires`). */
  expires?: Date;
  /** On a request: when each recipient's reply is due (`respondby`). */
  respondBy?: Date;
}

/** A message the gateway accepted, with its receipt verified. */
export interface Sent {
  messageId: string;
  /** 202 the first time, 200 when the gateway already had these exact bytes. */
  status: number;
  jws: string;
  answer: PublishAnswer;
  receipt: Receipt;
}

/** An inbox item as received, with its origin verified (or why it could not be). */
export interface Received {
  seq: number;
  cursor: string;
  messageId: string;
  source: string;
  type: string;
  receivedAt: string;
  redacted: boolean;
  verified: boolean;
  /** Why the origin could not be verified; never set when `verified`. */
  failure?: string;
  /** The verified envelope's `data`; absent when unverified. */
  data?: unknown;
  envelope?: VerifiedMessage['envelope'];
  /** The item as the gateway served it, the signed JWS in `message`. */
  item: InboxItemWire;
}

export interface InboxOptions {
  after?: string;
  limit?: number;
  /** Keep waiting for new items once the inbox is read to the end. */
  follow?: boolean;
  pollMs?: number;
  signal?: AbortSignal;
}

export interface DeliveryQuery {
  status?: DeliveryStatus;
  from?: string;
  to?: string;
  limit?: number;
}

/**
 * An agency's client of an RDX gateway: it signs what it sends with the agency's own key, makes
 * its own one-request bearer tokens, checks `data` against the schema library before sending,
 * and verifies every receipt and every received message end to end.
 * @example
 * const rdx = await RdxClient.create({ gateway, participant: 'KH.CNP', privateJwk });
 * const sent = await rdx.publish('org.asean.rdx.trafficking-incident-alert.v1', data);
 * for await (const item of rdx.inbox()) if (item.verified) await rdx.ack(item.messageId);
 */
export class RdxClient {
  readonly keys: KeyDirectory;
  readonly verifier: OriginVerifier;
  private readonly transport: GatewayTransport;
  private readonly gatewayId: string;

  private constructor(
    options: RdxClientOptions,
    readonly signer: AgencySigner,
    private readonly schemas: SchemaRegistry | undefined,
  ) {
    this.transport = new GatewayTransport(options.gateway, { ...DEFAULT_RETRY, ...options.retry });
    this.gatewayId = options.gatewayId ?? 'rdx-gateway';
    this.keys = new KeyDirectory(this.transport);
    this.verifier = new OriginVerifier(this.keys, this.gatewayId);
  }

  static async create(options: RdxClientOptions): Promise<RdxClient> {
    const signer =
      options.signer ??
      (options.privateJwk === undefined
        ? undefined
        : await AgencySigner.fromPrivateJwk(options.participant, options.privateJwk));
    if (signer === undefined) throw new TypeError('RdxClient needs privateJwk or signer');
    if (signer.participantId !== options.participant) {
      throw new TypeError(`the signer is ${signer.participantId}'s, not ${options.participant}'s`);
    }
    const schemas = options.schemas === false ? undefined : (options.schemas ?? new SchemaRegistry());
    return new RdxClient(options, signer, schemas);
  }

  get participant(): string {
    return this.signer.participantId;
  }

  /** Checks `data` against its type's schema, locally; throws {@link RdxInvalidData} naming every bad field. */
  validate(type: string, data: unknown): void {
    if (this.schemas === undefined) return;
    if (this.schemas.get(type) === undefined) {
      throw new RdxInvalidData(type, [
        { path: 'type', message: 'is not a message type of the schema library' },
      ]);
    }
    const violations = this.schemas.validate(type, data);
    if (violations.length > 0) throw new RdxInvalidData(type, violations);
  }

  /**
   * Builds, checks, signs and publishes a message, and verifies the gateway's receipt. Retried
   * after a lost answer, it sends the same bytes: the gateway answers 200 with the same receipt.
   */
  async publish(type: string, data: Record<string, unknown>, options: SendOptions = {}): Promise<Sent> {
    this.validate(type, data);
    const envelope = {
      specversion: '1.0',
      id: options.id ?? randomUUID(),
      source: this.participant,
      type,
      time: (options.time ?? new Date()).toISOString(),
      datacontenttype: 'application/json',
      ...(options.subject === undefined ? {} : { subject: options.subject }),
      ...(options.to === undefined || options.to.length === 0 ? {} : { recipients: options.to.join(' ') }),
      tlp: options.tlp ?? 'amber',
      ...(options.handling === undefined || options.handling.length === 0
        ? {}
        : { handling: options.handling.join(' ') }),
      ...(options.inReplyTo === undefined ? {} : { inreplyto: options.inReplyTo }),
      ...(options.supersedes === undefined ? {} : { supersedes: options.supersedes }),
      ...(options.expires === undefined ? {} : { expires: options.expires.toISOString() }),
      ...(options.respondBy === undefined ? {} : { respondby: options.respondBy.toISOString() }),
      data,
    };
    return this.publishSigned(await this.signer.signMessage(envelope));
  }

  /**
   * Withdraws a message you sent: every recipient of it receives the withdrawal, and what of it
   * is not delivered yet never will be.
   */
  async withdraw(
    messageId: string,
    reason: string,
    options: Omit<SendOptions, 'supersedes'> = {},
  ): Promise<Sent> {
    return this.publish(WITHDRAWAL_TYPE, { messageId, reason }, options);
  }

  /** A case's conversation: the messages linked to `messageId` that you sent or received, with their status. */
  async thread(messageId: string): Promise<ThreadView> {
    return (await this.get<ThreadView>(`/v1/threads/${encodeURIComponent(messageId)}`)).body;
  }

  /** Publishes a message already signed, and verifies the receipt. */
  async publishSigned(jws: string): Promise<Sent> {
    const { status, body } = await this.transport.send<PublishAnswer>({
      method: 'POST',
      path: '/v1/messages',
      body: jws,
      contentType: 'application/jose',
      idempotent: true,
    });
    const receipt = await this.verifier.receipt(body.receipt, jws);
    if (receipt.messageId !== body.messageId) {
      throw new RdxVerificationFailed('the receipt is for another message than the answer names');
    }
    return { messageId: body.messageId, status, jws, answer: body, receipt };
  }

  /** One page of the inbox, as served. */
  async inboxPage(after?: string, limit = 100): Promise<InboxPage> {
    const query = new URLSearchParams({ limit: String(limit), ...(after === undefined ? {} : { after }) });
    return (await this.get<InboxPage>(`/v1/inbox?${query}`)).body;
  }

  /**
   * The inbox, item by item, following `next`; each item's origin verified. Ends at the end of
   * the inbox, or with `follow` keeps polling until `signal` aborts.
   */
  async *inbox(options: InboxOptions = {}): AsyncGenerator<Received> {
    let after = options.after;
    for (;;) {
      if (options.signal?.aborted) return;
      const page = await this.inboxPage(after, options.limit ?? 100);
      for (const item of page.items) yield await this.received(item);
      after = page.next;
      if (page.items.length === 0) {
        if (!options.follow) return;
        await pause(options.pollMs ?? 2000, options.signal);
      }
    }
  }

  /** Verifies one inbox item (from a pull, or a webhook body). */
  async received(item: InboxItemWire): Promise<Received> {
    const base = {
      seq: item.seq,
      cursor: item.cursor,
      messageId: item.messageId,
      source: item.source,
      type: item.type,
      receivedAt: item.receivedAt,
      redacted: item.redacted === true,
      item,
    };
    try {
      const verified = await this.verifier.inboxItem(item, this.participant);
      return { ...base, verified: true, data: verified.envelope.data, envelope: verified.envelope };
    } catch (error) {
      if (!(error instanceof RdxVerificationFailed)) throw error;
      return { ...base, verified: false, failure: error.reason };
    }
  }

  /** Verifies any message's origin against its sender's registered keys. */
  verify(jws: string): Promise<VerifiedMessage> {
    return this.verifier.message(jws);
  }

  /** Acknowledges a message received, with a signed acknowledgement. */
  async ack(messageId: string, status: AckStatus = 'received', reason?: string): Promise<unknown> {
    const jws = await this.signer.signAck(messageId, status, reason === undefined ? {} : { reason });
    const answer = await this.transport.send({
      method: 'POST',
      path: `/v1/messages/${encodeURIComponent(messageId)}/acks`,
      body: jws,
      contentType: 'application/jose',
      idempotent: true,
    });
    return answer.body;
  }

  /** Delivery and acknowledgement status of a message this agency sent. */
  async messageStatus(messageId: string): Promise<MessageStatus> {
    return (await this.get<MessageStatus>(`/v1/messages/${encodeURIComponent(messageId)}`)).body;
  }

  async subscribe(request: SubscriptionRequest): Promise<Subscription> {
    return (await this.call<Subscription>('POST', '/v1/subscriptions', request, false)).body;
  }

  async subscriptions(): Promise<Subscription[]> {
    return (await this.get<{ items: Subscription[] }>('/v1/subscriptions')).body.items;
  }

  async unsubscribe(id: string): Promise<void> {
    await this.call('DELETE', `/v1/subscriptions/${encodeURIComponent(id)}`, undefined, true);
  }

  /** A new webhook secret (shown once); the old one keeps signing during the overlap. */
  async rotateSecret(id: string): Promise<Subscription> {
    return (
      await this.call<Subscription>(
        'POST',
        `/v1/subscriptions/${encodeURIComponent(id)}/secret`,
        undefined,
        false,
      )
    ).body;
  }

  async deliveries(query: DeliveryQuery = {}): Promise<Delivery[]> {
    const params = new URLSearchParams(
      Object.entries(query)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]): [string, string] => [k, String(v)]),
    );
    const path = `/v1/deliveries${params.size > 0 ? `?${params}` : ''}`;
    return (await this.get<{ items: Delivery[] }>(path)).body.items;
  }

  /** Sends a webhook delivery again (also one delivered before). */
  async replay(deliveryId: string): Promise<{ replayed: number }> {
    const path = `/v1/deliveries/${encodeURIComponent(deliveryId)}/replay`;
    return (await this.call<{ replayed: number }>('POST', path, undefined, true)).body;
  }

  /** Sends again every delivery created in [from, to), optionally only those in one state. */
  async replayWindow(window: {
    from: string;
    to: string;
    status?: DeliveryStatus;
  }): Promise<{ replayed: number }> {
    return (await this.call<{ replayed: number }>('POST', '/v1/deliveries/replay', window, true)).body;
  }

  /** Messages the caller sent or received and the persons they name, counted, small counts suppressed. */
  async statistics(query: StatisticsQuery): Promise<Statistics> {
    return (await this.get<Statistics>(statisticsPath(query))).body;
  }

  /** `statistics` as the gateway's CSV: a header, a line per row, a last line of totals. */
  async statisticsCsv(query: StatisticsQuery): Promise<string> {
    return (await this.get<string>(statisticsPath(query), CSV_ACCEPT)).body;
  }

  private get<T>(path: string, headers: Record<string, string> = {}) {
    return this.call<T>('GET', path, undefined, true, headers);
  }

  private call<T>(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    body: unknown,
    idempotent: boolean,
    headers: Record<string, string> = {},
  ) {
    return this.transport.send<T>({
      method,
      path,
      idempotent,
      ...(body === undefined ? {} : { body: JSON.stringify(body), contentType: 'application/json' }),
      headers: async () => ({
        ...headers,
        authorization: `Bearer ${await this.signer.bearer(this.gatewayId)}`,
      }),
    });
  }
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}
