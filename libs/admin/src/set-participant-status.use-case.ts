import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@rdx/exchange';
import {
  AuditRepository,
  Database,
  KeysRepository,
  ParticipantsRepository,
  ParticipantStatus,
} from '@rdx/persistence';
import { AdminPrincipal, adminActor } from './admin-authenticator';
import { participantView, ParticipantView } from './admin.views';
import { ParticipantAccess } from './participant-access';

/** Suspends a participant (403 to whatever it signs) or reinstates it. */
@Injectable()
export class SetParticipantStatus {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(ParticipantsRepository) private readonly participants: ParticipantsRepository,
    @Inject(KeysRepository) private readonly keys: KeysRepository,
    @Inject(AuditRepository) private readonly audit: AuditRepository,
    @Inject(ParticipantAccess) private readonly access: ParticipantAccess,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(principal: AdminPrincipal, id: string, status: ParticipantStatus): Promise<ParticipantView> {
    const at = this.clock.now().toISOString();
    const participant = await this.db.transaction(async (tx) => {
      const current = await this.access.require(principal, id, ['admin', 'country-admin'], tx);
      if (current.status === status) return current;
      await this.participants.setStatus(tx, id, status, at);
      await this.audit.append(tx, [
        {
          at,
          actor: adminActor(principal),
          action: status === 'suspended' ? 'participant.suspended' : 'participant.reinstated',
          subject: id,
        },
      ]);
      return { ...current, status, updatedAt: at };
    });
    return participantView(participant, await this.keys.listByParticipant(this.db, id));
  }
}
