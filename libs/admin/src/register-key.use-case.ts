import { Inject, Injectable } from '@nestjs/common';
import { InvalidJwkError, toPublicKey } from '@rdx/crypto';
import { RdxError } from '@rdx/errors';
import { Clock } from '@rdx/exchange';
import { AuditRepository, Database, KeyRecord, KeysRepository } from '@rdx/persistence';
import { AdminPrincipal, adminActor } from './admin-authenticator';
import { keyView, KeyView } from './admin.views';
import { ParticipantAccess } from './participant-access';

/** Registers one of a participant's public keys; a JWK with private members is refused. */
@Injectable()
export class RegisterKey {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(KeysRepository) private readonly keys: KeysRepository,
    @Inject(AuditRepository) private readonly audit: AuditRepository,
    @Inject(ParticipantAccess) private readonly access: ParticipantAccess,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(
    principal: AdminPrincipal,
    participantId: string,
    input: { jwk: unknown; notBefore?: string; notAfter?: string },
  ): Promise<KeyView> {
    await this.access.require(principal, participantId, ['admin', 'country-admin']);
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
    return keyView(record);
  }
}
