import { Inject, Injectable } from '@nestjs/common';
import { Database, KeysRepository, ParticipantsRepository } from '@rdx/persistence';
import { AdminPrincipal, requireRole } from './admin-authenticator';
import { participantView, ParticipantView } from './admin.views';

/** Lists participants with their keys; a country administrator sees its own country only. */
@Injectable()
export class ListParticipants {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(ParticipantsRepository) private readonly participants: ParticipantsRepository,
    @Inject(KeysRepository) private readonly keys: KeysRepository,
  ) {}

  async execute(principal: AdminPrincipal): Promise<ParticipantView[]> {
    requireRole(principal, ['admin', 'country-admin', 'auditor']);
    const country = principal.role === 'country-admin' ? principal.country! : undefined;
    const participants = await this.participants.list(this.db, country);
    return Promise.all(
      participants.map(async (p) => participantView(p, await this.keys.listByParticipant(this.db, p.id))),
    );
  }
}
