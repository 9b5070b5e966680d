import { Inject, Injectable } from '@nestjs/common';
import { InvalidJwkError, toPublicKey } from '@rdx/crypto';
import { RdxError } from '@rdx/errors';
import { Clock } from '@rdx/exchange';
import {
  AuditRepository,
  Database,
  KeyRecord,
  KeysRepository,
  ParticipantsRepository,
} from '@rdx/persistence';
import { AdminPrincipal, adminActor, requireRole } from './admin-authenticator';

export interface KeyView {
  kid: string;
  participant: string;
  alg: string;
  status: KeyRecord['status'];
  notBefore?: string;
  notAfter?: string;
  createdAt: string;
  retiredAt?: string;
  revokedAt?: string;
  revocationReason?: string;
}

const view = (k: KeyRecord): KeyView => ({
  kid: k.kid,
  participant: k.participantId,
  alg: k.alg,
  status: k.status,
  ...(k.notBefore === null ? {} : { notBefore: k.notBefore }),
  ...(k.notAfter === null ? {} : { notAfter: k.notAfter }),
  createdAt: k.createdAt,
  ...(k.retiredAt === null ? {} : { retiredAt: k.retiredAt }),
  ...(k.revokedAt === null ? {} : { revokedAt: k.revokedAt }),
  ...(k.revocationReason === null ? {} : { revocationReason: k.revocationReason }),
});

/** A participant's public keys: register, retire (rotation), revoke (compromise). */
@Injectable()
export class ManageKeys {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(ParticipantsRepository) private readonly participants: ParticipantsRepository,
    @Inject(KeysRepository) private readonly keys: KeysRepository,
    @Inject(AuditRepository) private readonly audit: AuditRepository,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async register(
    principal: AdminPrincipal,
    participantId: string,
    input: { jwk: unknown; notBefore?: string; notAfter?: string },
  ): Promise<KeyView> {
    await this.requireParticipant(principal, participantId);
    const key = await toPublicKey(input.jwk).catch((error: unknown) => {
      if (error instanceof InvalidJwkError) {
        throw new RdxError('invalid-key', error.message, {
          errors: [{ path: 'jwk', message: error.message }],
        });
      }
      throw error;
    });
    const notBefore = input.notBefore === undefined ? null : new Date(input.notBefore).toISOString();
    const notAfter = input.notAfter === undefined ? null : new Date(input.notAfter).toISOString();
    if (notBefore !== null && notAfter !== null && notAfter <= notBefore) {
      throw new RdxError('invalid-fields', 'the validity period is empty', {
        errors: [{ path: 'notAfter', message: 'must be after notBefore' }],
      });
    }
    const at = this.clock.now().toISOString();
    const record: KeyRecord = {
      kid: key.kid,
      participantId,
      alg: key.alg,
      jwk: key.jwk as KeyRecord['jwk'],
      status: 'active',
      notBefore,
      notAfter,
      createdAt: at,
      retiredAt: null,
      revokedAt: null,
      revocationReason: null,
    };
    await this.db.transaction(async (tx) => {
      if (!(await this.keys.insert(tx, record)))
        throw new RdxError('already-exists', `a key with kid "${key.kid}" exists`);
      await this.audit.append(tx, [
        {
          at,
          actor: adminActor(principal),
          action: 'key.registered',
          subject: key.kid,
          details: { participant: participantId, alg: key.alg },
        },
      ]);
    });
    return view(record);
  }

  /** Rotation: the key signs nothing new, and still verifies what it signed while active. */
  async retire(principal: AdminPrincipal, participantId: string, kid: string): Promise<KeyView> {
    return this.transition(principal, participantId, kid, 'retired', undefined);
  }

  /** Compromise: from now on nothing signed with the key is accepted, and it leaves the JWKS. */
  async revoke(
    principal: AdminPrincipal,
    participantId: string,
    kid: string,
    reason: string,
  ): Promise<KeyView> {
    return this.transition(principal, participantId, kid, 'revoked', reason);
  }

  private async transition(
    principal: AdminPrincipal,
    participantId: string,
    kid: string,
    to: 'retired' | 'revoked',
    reason: string | undefined,
  ): Promise<KeyView> {
    await this.requireParticipant(principal, participantId);
    const at = this.clock.now().toISOString();
    return this.db.transaction(async (tx) => {
      const key = await this.keys.find(tx, kid);
      if (key === undefined || key.participantId !== participantId)
        throw new RdxError('not-found', `${participantId} has no key "${kid}"`);
      if (key.status === 'revoked' || (key.status === 'retired' && to === 'retired')) {
        throw new RdxError('key-state-conflict', `key "${kid}" is ${key.status}; it cannot become ${to}`);
      }
      if (to === 'retired') await this.keys.retire(tx, kid, at);
      else await this.keys.revoke(tx, kid, at, reason!);
      await this.audit.append(tx, [
        {
          at,
          actor: adminActor(principal),
          action: to === 'retired' ? 'key.retired' : 'key.revoked',
          subject: kid,
          details: { participant: participantId, ...(reason === undefined ? {} : { reason }) },
        },
      ]);
      return view((await this.keys.find(tx, kid))!);
    });
  }

  private async requireParticipant(principal: AdminPrincipal, participantId: string): Promise<void> {
    requireRole(principal, ['admin', 'country-admin']);
    const participant = await this.participants.find(this.db, participantId);
    if (
      participant === undefined ||
      (principal.role === 'country-admin' && participant.country !== principal.country)
    ) {
      throw new RdxError('not-found', `no participant ${participantId}`);
    }
  }
}
