import { DynamicModule, Module } from '@nestjs/common';
import { AdminAuthenticator, BootstrapAdmin } from './admin-authenticator';
import { GetParticipant } from './get-participant.use-case';
import { IssueAdminToken } from './issue-admin-token.use-case';
import { KeyLifecycle } from './key-lifecycle';
import { ListParticipants } from './list-participants.use-case';
import { ParticipantAccess } from './participant-access';
import { ReadAttention } from './read-attention.use-case';
import { ReadAudit } from './read-audit.use-case';
import { ReadFlow } from './read-flow.use-case';
import { RegisterKey } from './register-key.use-case';
import { RegisterParticipant } from './register-participant.use-case';
import { RetireKey } from './retire-key.use-case';
import { RevokeKey } from './revoke-key.use-case';
import { SetParticipantStatus } from './set-participant-status.use-case';

const USE_CASES = [
  AdminAuthenticator,
  GetParticipant,
  IssueAdminToken,
  ListParticipants,
  ReadAttention,
  ReadAudit,
  ReadFlow,
  RegisterKey,
  RegisterParticipant,
  RetireKey,
  RevokeKey,
  SetParticipantStatus,
];

/** Administration: participants, keys, tokens and the audit record. */
@Module({})
export class AdminModule {
  static forRoot(): DynamicModule {
    return {
      module: AdminModule,
      global: true,
      providers: [...USE_CASES, BootstrapAdmin, KeyLifecycle, ParticipantAccess],
      exports: USE_CASES,
    };
  }
}
