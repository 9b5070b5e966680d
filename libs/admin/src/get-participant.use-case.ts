import { Inject, Injectable } from '@nestjs/common';
import { Database, KeysRepository } from '@rdx/persistence';
import { AdminPrincipal } from './admin-authenticator';
import { participantView, ParticipantView } from './admin.views';
import { ParticipantAccess } from './participant-access';

/** One participant and its keys. */
@Injectable()
export class GetParticipant {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(KeysRepository) private readonly keys: KeysRepository,
    @Inject(ParticipantAccess) private readonly access: ParticipantAccess,
  ) {}

  async execute(principal: AdminPrincipal, id: string): Promise<ParticipantView> {
    const participant = await this.access.require(principal, id, ['admin', 'country-admin', 'auditor']);
    return participantView(participant, await this.keys.listByParticipant(this.db, id));
  }
}
