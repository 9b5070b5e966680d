import { DynamicModule, Module } from '@nestjs/common';
import { AdminAuthenticator, BootstrapAdmin } from './admin-authenticator';
import { IssueAdminToken } from './issue-admin-token.use-case';
import { ManageKeys } from './manage-keys.use-case';
import { ManageParticipants } from './manage-participants.use-case';
import { ReadAudit } from './read-audit.use-case';

const USE_CASES = [AdminAuthenticator, IssueAdminToken, ManageKeys, ManageParticipants, ReadAudit];

/** Administration: participants, keys, tokens and the audit record. */
@Module({})
export class AdminModule {
  static forRoot(): DynamicModule {
    return {
      module: AdminModule,
      global: true,
      providers: [...USE_CASES, BootstrapAdmin],
      exports: USE_CASES,
    };
  }
}
