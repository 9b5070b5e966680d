import { Inject, Injectable } from '@nestjs/common';
import { RdxError } from '@rdx/errors';
import { Clock, PARTICIPANT_ID } from '@rdx/exchange';
import {
  AuditRepository,
  Database,
  KeyRecord,
  KeysRepository,
  ParticipantKind,
  ParticipantRecord,
  ParticipantsRepository,
  ParticipantStatus,
} from '@rdx/persistence';
import { AdminPrincipal, adminActor, requireRole } from './admin-authenticator';

export interface ParticipantView {
  id: string;
  country: string;
  name: string;
  kind: ParticipantKind;
  contact?: Record<string, unknown>;
  status: ParticipantStatus;
  createdAt: string;
  updatedAt: string;
  keys: {
    kid: string;
    alg: string;
    status: KeyRecord['status'];
    createdAt: string;
    retiredAt?: string;
    revokedAt?: string;
  }[];
}

const view = (p: ParticipantRecord, keys: KeyRecord[]): ParticipantView => ({
  id: p.id,
  country: p.country,
  name: p.name,
  kind: p.kind,
  ...(p.contact === null ? {} : { contact: p.contact }),
  status: p.status,
  createdAt: p.createdAt,
  updatedAt: p.updatedAt,
  keys: keys.map((k) => ({
    kid: k.kid,
    alg: k.alg,
    status: k.status,
    createdAt: k.createdAt,
    ...(k.retiredAt === null ? {} : { retiredAt: k.retiredAt }),
    ...(k.revokedAt === null ? {} : { revokedAt: k.revokedAt }),
  })),
});

/** Registering, listing, suspending and reinstating participants (PROTOCOL.md section 7). */
@Injectable()
export class ManageParticipants {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(ParticipantsRepository) private readonly participants: ParticipantsRepository,
    @Inject(KeysRepository) private readonly keys: KeysRepository,
    @Inject(AuditRepository) private readonly audit: AuditRepository,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async register(
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
    return view(record, []);
  }

  async list(principal: AdminPrincipal): Promise<ParticipantView[]> {
    requireRole(principal, ['admin', 'country-admin', 'auditor']);
    const country = principal.role === 'country-admin' ? principal.country! : undefined;
    const participants = await this.participants.list(this.db, country);
    return Promise.all(
      participants.map(async (p) => view(p, await this.keys.listByParticipant(this.db, p.id))),
    );
  }

  async get(principal: AdminPrincipal, id: string): Promise<ParticipantView> {
    const participant = await this.visible(principal, id);
    return view(participant, await this.keys.listByParticipant(this.db, id));
  }

  async setStatus(
    principal: AdminPrincipal,
    id: string,
    status: ParticipantStatus,
  ): Promise<ParticipantView> {
    requireRole(principal, ['admin', 'country-admin']);
    await this.visible(principal, id);
    const at = this.clock.now().toISOString();
    await this.db.transaction(async (tx) => {
      const current = (await this.participants.find(tx, id))!;
      if (current.status === status) return;
      await this.participants.setStatus(tx, id, status, at);
      await this.audit.append(tx, [
        {
          at,
          actor: adminActor(principal),
          action: status === 'suspended' ? 'participant.suspended' : 'participant.reinstated',
          subject: id,
        },
      ]);
    });
    return this.get(principal, id);
  }

  /** The participant, or 404 when it does not exist or the caller may not see it. */
  private async visible(principal: AdminPrincipal, id: string): Promise<ParticipantRecord> {
    requireRole(principal, ['admin', 'country-admin', 'auditor']);
    const participant = await this.participants.find(this.db, id);
    if (
      participant === undefined ||
      (principal.role === 'country-admin' && participant.country !== principal.country)
    ) {
      throw new RdxError('not-found', `no participant ${id}`);
    }
    return participant;
  }
}
