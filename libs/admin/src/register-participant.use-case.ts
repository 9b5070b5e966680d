import { Inject, Injectable } from '@nestjs/common';
import { RdxError } from '@rdx/errors';
import { Clock, PARTICIPANT_ID } from '@rdx/exchange';
import {
  AuditRepository,
  Database,
  ParticipantKind,
  ParticipantRecord,
  ParticipantsRepository,
} from '@rdx/persistence';
import { AdminPrincipal, adminActor, requireRole } from './admin-authenticator';
import { participantView, ParticipantView } from './admin.views';

/** Registers an agency as a participant (PROTOCOL.md section 7); a country administrator only in its country. */
@Injectable()
export class RegisterParticipant {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(ParticipantsRepository) private readonly participants: ParticipantsRepository,
    @Inject(AuditRepository) private readonly audit: AuditRepository,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(
    principal: AdminPrincipal,
    input: { id: string; name: string; kind: ParticipantKind; contact?: Record<string, unknown> },
  ): Promise<ParticipantView> {
    if (!PARTICIPANT_ID.test(input.id)) {
      throw new RdxError('invalid-fields', 'the participant id is not valid', {
        errors: [
          { path: 'id', message: 'must be CC.AGENCY: an ASEAN country code, a dot, 2-32 of A-Z 0-9 -' },
        ],
      });
    }
    const country = input.id.slice(0, 2);
    requireRole(principal, ['admin', 'country-admin'], country);
    const at = this.clock.now().toISOString();
    const record: ParticipantRecord = {
      id: input.id,
      country,
      name: input.name,
      kind: input.kind,
      contact: input.contact ?? null,
      status: 'active',
      createdAt: at,
      updatedAt: at,
    };
    await this.db.transaction(async (tx) => {
      if (!(await this.participants.insert(tx, record)))
        throw new RdxError('already-exists', `participant ${input.id} exists`);
      await this.audit.append(tx, [
        {
          at,
          actor: adminActor(principal),
          action: 'participant.registered',
          subject: input.id,
          details: { kind: input.kind },
        },
      ]);
    });
    return participantView(record, []);
  }
}
