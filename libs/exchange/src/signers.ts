import { Inject, Injectable } from '@nestjs/common';
import { JwsError, JwsVerifier, SignedObjectType } from '@rdx/crypto';
import { RdxError } from '@rdx/errors';
import {
  Database,
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
@Injectable()
export class Signers {
  private readonly verifier = new JwsVerifier();

  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(KeysRepository) private readonly keys: KeysRepository,
    @Inject(ParticipantsRepository) private readonly participants: ParticipantsRepository,
  ) {}

  /** Verifies the signature; the key may be in any state (callers decide what that state allows). */
  async verify(jws: string, typ: SignedObjectType): Promise<Signed> {
    try {
      const { key, payload, header } = await this.verifier.verify(jws, typ, async (kid) => {
        const record = await this.keys.find(this.db, kid);
        return record && { ...record, jwk: record.jwk };
      });
      const participant = await this.participants.find(this.db, key.participantId);
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
