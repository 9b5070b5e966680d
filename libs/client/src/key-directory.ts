import type { JWK } from 'jose';
import { RdxVerificationFailed } from './errors';
import type { GatewayTransport } from './transport';
import type { Jwks } from './views';

/** Where verification finds public keys: only ever keys a registry lists, never a key a message offers. */
export interface KeySource {
  /** One of `participantId`'s keys (active or retired), or a refusal. */
  participantKey(participantId: string, kid: string): Promise<JWK>;
  /** One of the gateway's keys (receipts, redacted copies), or a refusal. */
  gatewayKey(kid: string): Promise<JWK>;
}

interface CachedSet {
  keys: Map<string, JWK>;
  fetchedAt: number;
}

const PARTICIPANT_ID = /^(BN|KH|ID|LA|MY|MM|PH|SG|TH|TL|VN)\.[A-Z0-9-]{2,32}$/;

/**
 * The gateway's key registry, as served at `/v1/participants/{id}/jwks` and
 * `/.well-known/jwks.json`, cached. A kid not in the cache makes it fetch the set again (a key
 * registered since), at most once a `minRefreshMs` (1 s) per set, so a stream of made-up kids
 * cannot make it hammer the gateway; a kid the registry does not list is never trusted.
 */
export class KeyDirectory implements KeySource {
  private readonly sets = new Map<string, CachedSet>();
  private readonly fetching = new Map<string, Promise<CachedSet>>();

  constructor(
    private readonly transport: GatewayTransport,
    private readonly options: { minRefreshMs?: number; now?: () => number } = {},
  ) {}

  participantKey(participantId: string, kid: string): Promise<JWK> {
    if (!PARTICIPANT_ID.test(participantId)) {
      return Promise.reject(
        new RdxVerificationFailed(`${JSON.stringify(participantId)} is not a participant id`),
      );
    }
    return this.key(`/v1/participants/${participantId}/jwks`, kid, `${participantId}'s keys`);
  }

  gatewayKey(kid: string): Promise<JWK> {
    return this.key('/.well-known/jwks.json', kid, "the gateway's keys");
  }

  /** Forgets every cached set: the next verification fetches afresh. */
  clear(): void {
    this.sets.clear();
  }

  private async key(path: string, kid: string, whose: string): Promise<JWK> {
    const now = this.options.now ?? Date.now;
    let set = this.sets.get(path);
    if (
      set === undefined ||
      (!set.keys.has(kid) && now() - set.fetchedAt >= (this.options.minRefreshMs ?? 1000))
    ) {
      set = await this.fetch(path);
    }
    const key = set.keys.get(kid);
    if (key === undefined)
      throw new RdxVerificationFailed(`kid ${JSON.stringify(kid)} is not among ${whose}`);
    return key;
  }

  /** One request per set at a time, however many verifications wait for it. */
  private fetch(path: string): Promise<CachedSet> {
    const pending = this.fetching.get(path);
    if (pending !== undefined) return pending;
    const request = this.transport
      .send<Jwks>({ method: 'GET', path, idempotent: true })
      .then(({ body }) => {
        const keys = new Map<string, JWK>();
        for (const key of body.keys ?? []) if (typeof key.kid === 'string') keys.set(key.kid, key as JWK);
        const set = { keys, fetchedAt: (this.options.now ?? Date.now)() };
        this.sets.set(path, set);
        return set;
      })
      .finally(() => this.fetching.delete(path));
    this.fetching.set(path, request);
    return request;
  }
}

/** Keys from JWKS documents at hand (files, say), for verifying offline. */
export class StaticKeys implements KeySource {
  private readonly keys = new Map<string, JWK>();

  constructor(sets: readonly Jwks[]) {
    for (const set of sets)
      for (const key of set.keys) if (typeof key.kid === 'string') this.keys.set(key.kid, key as JWK);
  }

  async participantKey(_participantId: string, kid: string): Promise<JWK> {
    return this.find(kid);
  }

  async gatewayKey(kid: string): Promise<JWK> {
    return this.find(kid);
  }

  private find(kid: string): JWK {
    const key = this.keys.get(kid);
    if (key === undefined)
      throw new RdxVerificationFailed(`kid ${JSON.stringify(kid)} is in none of the JWKS given`);
    return key;
  }
}
