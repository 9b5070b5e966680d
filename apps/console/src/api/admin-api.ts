/** The gateway's admin API (docs/protocol-notes.md, "Administration"), as the console calls it. */

export type AdminRole = 'admin' | 'country-admin' | 'auditor';

/** GET /v1/admin/me */
export interface Administrator {
  tokenId: string;
  role: AdminRole;
  country?: string;
}

export const PARTICIPANT_KINDS = [
  'law-enforcement',
  'foreign-affairs',
  'social-welfare',
  'immigration',
  'labour',
  'coordination',
] as const;
export type ParticipantKind = (typeof PARTICIPANT_KINDS)[number];

export interface Key {
  kid: string;
  participant: string;
  alg: string;
  status: 'active' | 'retired' | 'revoked';
  notBefore?: string;
  notAfter?: string;
  createdAt: string;
  retiredAt?: string;
  revokedAt?: string;
  revocationReason?: string;
}

export interface Participant {
  id: string;
  country: string;
  name: string;
  kind: ParticipantKind;
  status: 'active' | 'suspended';
  createdAt: string;
  updatedAt: string;
  keys: Key[];
}

/** One item of the hash-chained audit record (GET /v1/admin/audit). */
export interface AuditItem {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  details?: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/** A search of the audit record: exact values of the members given. */
export interface AuditSearch {
  actor?: string;
  action?: string;
  subject?: string;
}

/** A subscription's webhook deliveries not delivered. */
export interface Undelivered {
  subscriptionId: string;
  participant: string;
  pending: number;
  retrying: number;
  failed: number;
}

/** GET /v1/admin/attention */
export interface Attention {
  at: string;
  expiringKeys: { participant: string; kid: string; notAfter: string }[];
  failingDeliveries: Undelivered[];
  suspendedWithSubscriptions: { participant: string; name: string; subscriptions: number }[];
  overdueReplies: { requestId: string; type: string; requester: string; recipient: string; dueAt: string }[];
}

export type FlowBucket = 'minute' | 'hour' | 'day';

/** GET /v1/admin/flow */
export interface Flow {
  from: string;
  to: string;
  bucket: FlowBucket;
  accepted: { at: string; type: string; country: string; count: number }[];
  /** Type and country "unknown" where the gateway could not tell them. */
  refused: { at: string; type: string; country: string; problem: string; count: number }[];
  deliveries: Undelivered[];
}

/** An RFC 9457 problem the gateway answered with. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly detail: string,
    readonly errors: readonly { path: string; message: string }[] = [],
  ) {
    super(detail);
  }

  /** The token is missing, wrong, expired or revoked: the session is over. */
  get tokenRefused(): boolean {
    return this.status === 401;
  }
}

/** Calls the admin API with one administrator token, kept only in this object (in memory). */
export class AdminApi {
  constructor(
    private readonly token: string,
    private readonly onTokenRefused: () => void = () => undefined,
  ) {}

  me(): Promise<Administrator> {
    return this.call('GET', '/v1/admin/me');
  }

  async participants(): Promise<Participant[]> {
    return (await this.call<{ items: Participant[] }>('GET', '/v1/admin/participants')).items;
  }

  participant(id: string): Promise<Participant> {
    return this.call('GET', `/v1/admin/participants/${encodeURIComponent(id)}`);
  }

  registerParticipant(input: { id: string; name: string; kind: ParticipantKind }): Promise<Participant> {
    return this.call('POST', '/v1/admin/participants', input);
  }

  setStatus(id: string, status: Participant['status']): Promise<Participant> {
    return this.call('PATCH', `/v1/admin/participants/${encodeURIComponent(id)}`, { status });
  }

  addKey(id: string, jwk: Record<string, unknown>): Promise<{ kid: string; status: string }> {
    return this.call('POST', `/v1/admin/participants/${encodeURIComponent(id)}/keys`, { jwk });
  }

  retireKey(id: string, kid: string): Promise<Key> {
    return this.call('POST', `${this.keyPath(id, kid)}/retire`);
  }

  revokeKey(id: string, kid: string, reason: string): Promise<Key> {
    return this.call('POST', `${this.keyPath(id, kid)}/revoke`, { reason });
  }

  /** A page of the audit record after seq `after`; `next` is the `after` of the next page. */
  audit(
    after: number,
    limit: number,
    search: AuditSearch = {},
  ): Promise<{ items: AuditItem[]; next: number }> {
    const query = new URLSearchParams({ after: String(after), limit: String(limit) });
    for (const [member, value] of Object.entries(search)) if (value) query.set(member, value);
    return this.call('GET', `/v1/admin/audit?${query}`);
  }

  attention(): Promise<Attention> {
    return this.call('GET', '/v1/admin/attention');
  }

  flow(from: string, to: string, bucket: FlowBucket): Promise<Flow> {
    const query = new URLSearchParams({ from, to, bucket });
    return this.call('GET', `/v1/admin/flow?${query.toString()}`);
  }

  /** Sends again every failed delivery of one subscription created in [from, to). */
  replayFailed(delivery: Undelivered, from: string, to: string): Promise<{ replayed: number }> {
    return this.call('POST', '/v1/admin/deliveries/replay', {
      from,
      to,
      status: 'failed',
      participant: delivery.participant,
      subscription: delivery.subscriptionId,
    });
  }

  private keyPath(id: string, kid: string): string {
    return `/v1/admin/participants/${encodeURIComponent(id)}/keys/${encodeURIComponent(kid)}`;
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(path, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store',
    });
    const text = await response.text();
    const parsed: unknown = text === '' ? undefined : JSON.parse(text);
    if (!response.ok) {
      const problem = (parsed ?? {}) as { type?: string; detail?: string; errors?: ApiProblem['errors'] };
      const error = new ApiProblem(
        response.status,
        problem.type ?? 'about:blank',
        problem.detail ?? response.statusText,
        problem.errors,
      );
      if (error.tokenRefused) this.onTokenRefused();
      throw error;
    }
    return parsed as T;
  }
}
