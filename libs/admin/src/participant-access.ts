import { Inject, Injectable } from '@nestjs/common';
import { RdxError } from '@rdx/errors';
import { Database, Executor, ParticipantRecord, ParticipantsRepository } from '@rdx/persistence';
import { AdminPrincipal, requireRole } from './admin-authenticator';

/**
 * Which participants an administrator may see: all of them, or for a country administrator
 * only its own country's. Others are 404 to it, as if they did not exist.
 */
@Injectable()
export class ParticipantAccess {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(ParticipantsRepository) private readonly participants: ParticipantsRepository,
  ) {}

  /** The participant, if the caller holds one of `roles` and may see it; 403 or 404 otherwise. */
  async require(
    principal: AdminPrincipal,
    id: string,
    roles: Parameters<typeof requireRole>[1],
    ex: Executor = this.db,
  ): Promise<ParticipantRecord> {
    requireRole(principal, roles);
    const participant = await this.participants.find(ex, id);
    if (
      participant === undefined ||
      (principal.role === 'country-admin' && participant.country !== principal.country)
    ) {
      throw new RdxError('not-found', `no participant ${id}`);
    }
    return participant;
  }
}
