import { Inject, Injectable } from '@nestjs/common';
import { AdminPrincipal } from './admin-authenticator';
import { KeyView } from './admin.views';
import { KeyLifecycle } from './key-lifecycle';

/** Rotation: the key signs nothing new, and still verifies what it signed while active. */
@Injectable()
export class RetireKey {
  constructor(@Inject(KeyLifecycle) private readonly lifecycle: KeyLifecycle) {}

  execute(principal: AdminPrincipal, participantId: string, kid: string): Promise<KeyView> {
    return this.lifecycle.move(principal, participantId, kid, 'retired');
  }
}
