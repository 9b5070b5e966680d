import { Inject, Injectable } from '@nestjs/common';
import { RdxError } from '@rdx/errors';
import { Clock } from '@rdx/exchange';
import { AuditRepository, Database, KeysRepository } from '@rdx/persistence';
import { AdminPrincipal, adminActor } from './admin-authenticator';
import { keyView, KeyView } from './admin.views';
import { ParticipantAccess } from './participant-access';

/** A key's one-way moves: active → retired → revoked, or active → revoked. */
@Injectable()
export class KeyLifecycle {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(KeysRepository) private readonly keys: KeysRepository,
    @Inject(AuditRepository) private readonly audit: AuditRepository,
    @Inject(ParticipantAccess) private readonly access: ParticipantAccess,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async move(
    principal: AdminPrincipal,
    participantId: string,
    kid: string,
    to: 'retired' | 'revoked',
    reason?: string,
  ): Promise<KeyView> {
    const at = this.clock.now().toISOString();
    return this.db.transaction(async (tx) => {
      await this.access.require(principal, participantId, ['admin', 'country-admin'], tx);
      const key = await this.keys.find(tx, kid);
      if (key === undefined || key.participantId !== participantId) {
        throw new RdxError('not-found', `${participantId} has no key "${kid}"`);
      }
      if (key.status === 'revoked' || (key.status === 'retired' && to === 'retired')) {
        throw new RdxError('key-state-conflict', `key "${kid}" is ${key.status}; it cannot become ${to}`);
      }
      if (to === 'retired') await this.keys.retire(tx, kid, at);
      else await this.keys.revoke(tx, kid, at, reason ?? '');
      await this.audit.append(tx, [
        {
          at,
          actor: adminActor(principal),
          action: to === 'retired' ? 'key.retired' : 'key.revoked',
          subject: kid,
          details: { participant: participantId, ...(reason === undefined ? {} : { reason }) },
        },
      ]);
      return keyView((await this.keys.find(tx, kid))!);
    });
  }
}
