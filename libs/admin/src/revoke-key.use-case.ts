import { Inject, Injectable } from '@nestjs/common';
import { AdminPrincipal } from './admin-authenticator';
import { KeyView } from './admin.views';
import { KeyLifecycle } from './key-lifecycle';

/** Compromise: from now on nothing signed with the key is accepted, and it leaves the JWKS. */
@Injectable()
export class RevokeKey {
  constructor(@Inject(KeyLifecycle) private readonly lifecycle: KeyLifecycle) {}

  execute(principal: AdminPrincipal, participantId: string, kid: string, reason: string): Promise<KeyView> {
    return this.lifecycle.move(principal, participantId, kid, 'revoked', reason);
  }
}
