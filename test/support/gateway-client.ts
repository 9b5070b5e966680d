import { TestAgency } from '@rdx/testing';
import { TestGateway } from './test-gateway';

export interface Reply<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** What an agency's integrator would write: plain HTTP calls to the gateway. */
export class GatewayClient {
  constructor(private readonly gateway: TestGateway) {}

  async request(
    method: string,
    path: string,
    init: { body?: string | Uint8Array; headers?: Record<string, string> } = {},
  ): Promise<Reply> {
    const response = await fetch(`${this.gateway.url}${path}`, {
      method,
      body: init.body,
      headers: init.headers,
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, headers: response.headers, body };
  }

  admin(method: string, path: string, body?: unknown, token = this.gateway.adminToken): Promise<Reply> {
    return this.request(method, path, {
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
    });
  }

  /** Registers an agency and its public key, as an administrator does. */
  async register(agency: TestAgency, name = agency.id): Promise<void> {
    const participant = await this.admin('POST', '/v1/admin/participants', {
      id: agency.id,
      name,
      kind: agency.kind,
    });
    if (participant.status !== 201 && participant.status !== 409)
      throw new Error(`register ${agency.id}: ${participant.status}`);
    const key = await this.admin('POST', `/v1/admin/participants/${agency.id}/keys`, {
      jwk: agency.publicJwk,
    });
    if (key.status !== 201)
      throw new Error(`register key of ${agency.id}: ${key.status} ${JSON.stringify(key.body)}`);
  }

  publish(jws: string, contentType = 'application/jose'): Promise<Reply> {
    return this.request('POST', '/v1/messages', { body: jws, headers: { 'content-type': contentType } });
  }

  ack(messageId: string, jws: string): Promise<Reply> {
    return this.request('POST', `/v1/messages/${messageId}/acks`, {
      body: jws,
      headers: { 'content-type': 'application/jose' },
    });
  }

  async as(agency: TestAgency, method: string, path: string, body?: unknown): Promise<Reply> {
    return this.request(method, path, {
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: {
        authorization: `Bearer ${await agency.bearer(this.gateway.gatewayId)}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
    });
  }

  async subscribe(agency: TestAgency, types: string[], extra: Record<string, unknown> = {}): Promise<Reply> {
    return this.as(agency, 'POST', '/v1/subscriptions', { types, delivery: { mode: 'pull' }, ...extra });
  }

  async inbox(agency: TestAgency, after?: string, limit?: number): Promise<Reply> {
    const query = new URLSearchParams();
    if (after !== undefined) query.set('after', after);
    if (limit !== undefined) query.set('limit', String(limit));
    return this.as(agency, 'GET', `/v1/inbox${query.size > 0 ? `?${query}` : ''}`);
  }

  /** Reads the whole inbox, following `next`. */
  async drainInbox(agency: TestAgency): Promise<any[]> {
    const items: any[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await this.inbox(agency, after, 500);
      if (page.status !== 200) throw new Error(`inbox: ${page.status} ${JSON.stringify(page.body)}`);
      items.push(...page.body.items);
      if (page.body.items.length === 0) return items;
      after = page.body.next;
    }
  }

  /** Polls the inbox until `count` items are there (routing is asynchronous), or fails after `ms`. */
  async awaitInbox(agency: TestAgency, count: number, ms = 20000): Promise<any[]> {
    const deadline = Date.now() + ms;
    for (;;) {
      const items = await this.drainInbox(agency);
      if (items.length >= count || Date.now() > deadline) return items;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** The audit record's length, to prove a refusal recorded nothing. */
  async auditLength(): Promise<number> {
    let after = 0;
    for (;;) {
      const page = await this.admin('GET', `/v1/admin/audit?after=${after}&limit=500`);
      if (page.body.items.length === 0) return after;
      after = page.body.next;
    }
  }
}
