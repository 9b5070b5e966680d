import { verifyAuditChain } from '@rdx/crypto';
import { RdxInvalidData } from './errors';
import { DEFAULT_RETRY, GatewayTransport, RetryPolicy } from './transport';
import type { AdminRole, AuditItem, Delivery, IssuedToken, Key, Participant, ParticipantKind } from './views';
import type { DeliveryQuery } from './rdx-client';
import { CSV_ACCEPT, Statistics, StatisticsQuery, statisticsPath } from './statistics';

/** Members that only a private JWK holds (RFC 7518 section 6). */
export const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

/** The private members a JWK holds, none for a public key. */
export function privateMembersOf(jwk: Record<string, unknown>): string[] {
  return PRIVATE_JWK_MEMBERS.filter((member) => member in jwk);
}

/** What checking the whole audit record found. */
export interface AuditVerdict {
  items: number;
  ok: boolean;
  /** Where the chain breaks, and how. */
  problem?: string;
  brokenAt?: number;
}

export interface RdxAdminClientOptions {
  gateway: string;
  /** An administrator, country-administrator or auditor token. */
  token: string;
  retry?: Partial<RetryPolicy>;
}

/**
 * An administrator's client of an RDX gateway: participants, their public keys, administrator
 * tokens, deliveries and the audit record. Writes are not retried where the gateway may have
 * done them already.
 */
export class RdxAdminClient {
  private readonly transport: GatewayTransport;

  constructor(private readonly options: RdxAdminClientOptions) {
    this.transport = new GatewayTransport(options.gateway, { ...DEFAULT_RETRY, ...options.retry });
  }

  async registerParticipant(participant: {
    id: string;
    name: string;
    kind: ParticipantKind;
    contact?: Record<string, unknown>;
  }): Promise<Participant> {
    return (await this.call<Participant>('POST', '/v1/admin/participants', participant)).body;
  }

  async participants(): Promise<Participant[]> {
    return (await this.call<{ items: Participant[] }>('GET', '/v1/admin/participants')).body.items;
  }

  async participant(id: string): Promise<Participant> {
    return (await this.call<Participant>('GET', `/v1/admin/participants/${encodeURIComponent(id)}`)).body;
  }

  async setStatus(id: string, status: 'active' | 'suspended'): Promise<Participant> {
    return (
      await this.call<Participant>('PATCH', `/v1/admin/participants/${encodeURIComponent(id)}`, { status })
    ).body;
  }

  /**
   * Registers a participant's public key. A JWK holding private members is refused here, before
   * anything is sent: private keys never reach the gateway.
   */
  async registerKey(
    id: string,
    jwk: Record<string, unknown>,
    validity: { notBefore?: string; notAfter?: string } = {},
  ): Promise<{ kid: string; status: string }> {
    const secret = privateMembersOf(jwk);
    if (secret.length > 0) {
      throw new RdxInvalidData('public JWK', [
        {
          path: 'jwk',
          message: `holds the private member(s) ${secret.join(', ')}: this is a private key, which must never leave its agency; register its public half`,
        },
      ]);
    }
    const path = `/v1/admin/participants/${encodeURIComponent(id)}/keys`;
    return (await this.call<{ kid: string; status: string }>('POST', path, { jwk, ...validity })).body;
  }

  async retireKey(id: string, kid: string): Promise<Key> {
    const path = `/v1/admin/participants/${encodeURIComponent(id)}/keys/${encodeURIComponent(kid)}/retire`;
    return (await this.call<Key>('POST', path)).body;
  }

  async revokeKey(id: string, kid: string, reason: string): Promise<Key> {
    const path = `/v1/admin/participants/${encodeURIComponent(id)}/keys/${encodeURIComponent(kid)}/revoke`;
    return (await this.call<Key>('POST', path, { reason })).body;
  }

  /** Issues an administrator token (an `admin` may); the token is in the answer only. */
  async issueToken(request: { role: AdminRole; country?: string; expiresAt?: string }): Promise<IssuedToken> {
    return (await this.call<IssuedToken>('POST', '/v1/admin/tokens', request)).body;
  }

  async deliveries(query: DeliveryQuery & { participant?: string } = {}): Promise<Delivery[]> {
    const params = new URLSearchParams(
      Object.entries(query)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]): [string, string] => [k, String(v)]),
    );
    const path = `/v1/admin/deliveries${params.size > 0 ? `?${params}` : ''}`;
    return (await this.call<{ items: Delivery[] }>('GET', path)).body.items;
  }

  async replay(deliveryId: string): Promise<{ replayed: number }> {
    const path = `/v1/admin/deliveries/${encodeURIComponent(deliveryId)}/replay`;
    return (await this.call<{ replayed: number }>('POST', path, undefined, true)).body;
  }

  /** One page of the audit record, after `after` (a seq). */
  async auditPage(after = 0, limit = 500): Promise<{ items: AuditItem[]; next: number }> {
    return (
      await this.call<{ items: AuditItem[]; next: number }>(
        'GET',
        `/v1/admin/audit?after=${after}&limit=${limit}`,
      )
    ).body;
  }

  /**
   * How many items the audit record holds, found without reading it: `seq` grows by one from 1,
   * so doubling `after` until a page is empty and then halving the gap takes about 2·log2(n)
   * requests of one item.
   */
  async auditLength(): Promise<number> {
    const exists = async (seq: number) => seq === 0 || (await this.auditPage(seq - 1, 1)).items.length > 0;
    let low = 0;
    let high = 1;
    while (await exists(high)) [low, high] = [high, high * 2];
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      if (await exists(middle)) low = middle;
      else high = middle;
    }
    return low;
  }

  /**
   * Reads the whole audit record page by page and checks its hash chain as it goes (RFC 8785,
   * SHA-256): `onPage` hears how far it got.
   */
  async verifyAudit(onPage?: (itemsSoFar: number) => void): Promise<AuditVerdict> {
    let previous = { seq: 0, hash: '0'.repeat(64) };
    let count = 0;
    for (;;) {
      const page = await this.auditPage(previous.seq);
      if (page.items.length === 0) return { items: count, ok: true };
      const verdict = verifyAuditChain(page.items, previous);
      if (!verdict.ok) {
        return { items: count, ok: false, problem: verdict.problem, brokenAt: verdict.brokenAt };
      }
      count += page.items.length;
      const last = page.items[page.items.length - 1];
      previous = { seq: last.seq, hash: last.hash };
      onPage?.(count);
    }
  }

  /** Messages counted over all (a country administrator: its country's), small counts suppressed. */
  async statistics(query: StatisticsQuery): Promise<Statistics> {
    return (await this.call<Statistics>('GET', statisticsPath(query))).body;
  }

  /** `statistics` as the gateway's CSV: a header, a line per row, a last line of totals. */
  async statisticsCsv(query: StatisticsQuery): Promise<string> {
    return (await this.call<string>('GET', statisticsPath(query), undefined, true, CSV_ACCEPT)).body;
  }

  private call<T>(
    method: 'GET' | 'POST' | 'PATCH',
    path: string,
    body?: unknown,
    idempotent = method === 'GET',
    headers: Record<string, string> = {},
  ) {
    return this.transport.send<T>({
      method,
      path,
      idempotent,
      ...(body === undefined ? {} : { body: JSON.stringify(body), contentType: 'application/json' }),
      headers: async () => ({ ...headers, authorization: `Bearer ${this.options.token}` }),
    });
  }
}
