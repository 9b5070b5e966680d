import { AuditChainItem as AuditItem } from '@rdx/crypto';
import { expectStatus } from './demo-checks.assertion';
import { PartnerAgency } from './partner-agency.client';

/** The answer to a new message (PROTOCOL.md section 4). */
export interface Accepted {
  messageId: string;
  status: string;
  receivedAt: string;
  recipients: string[];
  withheld: { participant: string; reason: string }[];
  receipt: string;
}

/** One item of a pull inbox (PROTOCOL.md section 5). */
export interface InboxItem {
  seq: number;
  messageId: string;
  source: string;
  type: string;
  message: string;
}

/** What the sender sees of its message: delivery and acknowledgement per recipient. */
export interface MessageStatus {
  recipients: { participant: string; delivery: string; ack?: { status: string; at: string } }[];
}

/** An RFC 9457 refusal. */
export interface Problem {
  type: string;
  title: string;
  detail: string;
}

/** What the gateway answered: status, headers and the body, parsed when it is JSON. */
export interface Reply<T = unknown> {
  status: number;
  contentType: string;
  body: T;
}

/** Plain HTTP calls to the gateway, as any agency's integrator would write them. */
export class GatewayHttpClient {
  constructor(
    readonly baseUrl: string,
    readonly gatewayId: string,
  ) {}

  async request<T = unknown>(
    method: string,
    path: string,
    init: { body?: string; headers?: Record<string, string> } = {},
  ): Promise<Reply<T>> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      body: init.body,
      headers: init.headers,
    });
    const text = await response.text();
    const contentType = response.headers.get('content-type') ?? '';
    const body = contentType.includes('json') && text !== '' ? (JSON.parse(text) as unknown) : text;
    return { status: response.status, contentType, body: body as T };
  }

  /** A call with the administrator's bearer token. */
  admin<T = unknown>(token: string, method: string, path: string, body?: unknown): Promise<Reply<T>> {
    return this.request<T>(method, path, {
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
    });
  }

  /** A call as a participant, with a bearer JWT it signs for this one request. */
  async as<T = unknown>(
    agency: PartnerAgency,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<Reply<T>> {
    return this.request<T>(method, path, {
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: {
        authorization: `Bearer ${await agency.bearer(this.gatewayId)}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
    });
  }

  /** Posts a compact JWS (a message or an acknowledgement): its signature is the authentication. */
  postJose<T = unknown>(path: string, jws: string): Promise<Reply<T>> {
    return this.request<T>('POST', path, { body: jws, headers: { 'content-type': 'application/jose' } });
  }

  /** The whole audit record, a page at a time. */
  async auditRecord(adminToken: string): Promise<AuditItem[]> {
    const items: AuditItem[] = [];
    for (let after = 0; ;) {
      const page = await this.admin<{ items: AuditItem[]; next: number }>(
        adminToken,
        'GET',
        `/v1/admin/audit?after=${after}&limit=500`,
      );
      expectStatus(page, 200, 'reading the audit record');
      if (page.body.items.length === 0) return items;
      items.push(...page.body.items);
      after = page.body.next;
    }
  }
}
