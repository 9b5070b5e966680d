import { Inject, Injectable } from '@nestjs/common';
import { JwsError, JwsVerifier, SignedObjectType } from '@rdx/crypto';
import { RdxError } from '@rdx/errors';
import {
  BatchLoader,
  Database,
  Executor,
  KeyRecord,
  KeysRepository,
  ParticipantRecord,
  ParticipantsRepository,
} from '@rdx/persistence';

/** A verified signed object and who signed it. */
export interface Signed {
  key: KeyRecord;
  participant: ParticipantRecord;
  payload: Uint8Array;
  header: Record<string, unknown>;
}

/** Whether a key may sign something new at `now`: active, and inside its validity window. */
export function keySignsAt(key: KeyRecord, now: Date): boolean {
  const at = now.toISOString();
  return (
    key.status === 'active' &&
    (key.notBefore === null || key.notBefore <= at) &&
    (key.notAfter === null || at < key.notAfter)
  );
}

/**
 * Verifies the gateway's three kinds of participant-signed objects against the key registry,
 * and names the participant who signed.
 */
type Owner = { key: KeyRecord; participant: ParticipantRecord | undefined };

/** How long a cached key and owner may be used before they are read again. */
const CACHE_MS = 5_000;

@Injectable()
export class Signers {
  private readonly verifier = new JwsVerifier();
  private readonly cache = new Map<string, { owner: Promise<Owner | undefined>; until: number }>();
  /**
   * Keys and their owners, read fresh for every request (a revocation or a suspension counts at
   * once) but with one query for all the requests of the same moment.
   */
  private readonly owners: BatchLoader<string, Owner>;

  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(KeysRepository) private readonly keys: KeysRepository,
    @Inject(ParticipantsRepository) private readonly participants: ParticipantsRepository,
  ) {
    this.owners = new BatchLoader((kids) => this.ownersOf(this.db, kids));
  }

  /** The keys of `kids` that are registered, each with its owner, read through `ex`. */
  private async ownersOf(ex: Executor, kids: readonly string[]): Promise<Map<string, Owner>> {
    const keys = await this.keys.findMany(ex, kids);
    const owners = new Map(
      (await this.participants.findMany(ex, [...new Set(keys.map((k) => k.participantId))])).map((p) => [
        p.id,
        p,
      ]),
    );
    return new Map(keys.map((key) => [key.kid, { key, participant: owners.get(key.participantId) }]));
  }

  /**
   * Verifies the signature; the key may be in any state (callers decide what that state allows).
   * With `recheckedLater`, the key and its owner may come from a cache up to a few seconds old:
   * only for a caller that reads them again in the transaction that acts on them
   * (`requireStillActive`), so that a revocation or suspension still counts at once.
   */
  async verify(jws: string, typ: SignedObjectType, recheckedLater = false): Promise<Signed> {
    try {
      let participant: ParticipantRecord | undefined;
      const { key, payload, header } = await this.verifier.verify(jws, typ, async (kid) => {
        const found = recheckedLater ? await this.cachedOwner(kid) : await this.owners.get(kid);
        participant = found?.participant;
        return found?.key;
      });
      if (participant === undefined)
        throw new JwsError('unknown-key', `the owner of kid "${key.kid}" is gone`);
      return { key, participant, payload, header };
    } catch (error) {
      if (!(error instanceof JwsError)) throw error;
      switch (error.code) {
        case 'malformed':
          throw new RdxError('malformed-message', error.message);
        case 'invalid-signature':
          throw new RdxError('invalid-signature', error.message);
        case 'unknown-key':
          throw new RdxError('unknown-key', error.message);
        case 'wrong-typ':
          throw new RdxError('wrong-object-type', error.message);
      }
    }
  }

  private cachedOwner(kid: string): Promise<Owner | undefined> {
    const cached = this.cache.get(kid);
    if (cached !== undefined && cached.until > Date.now()) return cached.owner;
    const owner = this.owners.get(kid);
    this.cache.set(kid, { owner, until: Date.now() + CACHE_MS });
    owner.catch(() => this.cache.delete(kid));
    if (this.cache.size > 10_000) this.cache.delete(this.cache.keys().next().value!);
    return owner;
  }

  /**
   * The check of `requireActive` again, against the keys and participants as they are now in
   * `ex` (the transaction about to store what they signed); an Error for each one that may no
   * longer sign, undefined for the others.
   */
  async requireStillActive(
    ex: Executor,
    signed: readonly Signed[],
    now: Date,
  ): Promise<(RdxError | undefined)[]> {
    const owners = await this.ownersOf(ex, [...new Set(signed.map((s) => s.key.kid))]);
    return signed.map((s) => {
      const { key, participant } = owners.get(s.key.kid) ?? {};
      if (key === undefined || participant === undefined)
        return new RdxError('unknown-key', `no registered key has kid "${s.key.kid}"`);
      try {
        this.requireActive({ ...s, key, participant }, now);
        return undefined;
      } catch (error) {
        if (error instanceof RdxError) return error;
        throw error;
      }
    });
  }

  /** Refuses a key that may not sign now (401) and a suspended participant (403). */
  requireActive(signed: Signed, now: Date): void {
    if (!keySignsAt(signed.key, now)) {
      throw new RdxError(
        'key-not-active',
        `key "${signed.key.kid}" is ${signed.key.status === 'active' ? 'outside its validity period' : signed.key.status}`,
      );
    }
    this.requireNotSuspended(signed.participant);
  }

  requireNotSuspended(participant: ParticipantRecord): void {
    if (participant.status === 'suspended') {
      throw new RdxError('participant-suspended', `participant ${participant.id} is suspended`);
    }
  }
}
