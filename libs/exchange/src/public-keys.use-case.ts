import { Inject, Injectable } from '@nestjs/common';
import { RdxError } from '@rdx/errors';
import { Database, GatewayKeysRepository, KeysRepository, ParticipantsRepository } from '@rdx/persistence';

/** The public keys anyone may fetch: the gateway's receipt keys and each participant's signing keys. */
@Injectable()
export class PublicKeys {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(GatewayKeysRepository) private readonly gatewayKeys: GatewayKeysRepository,
    @Inject(ParticipantsRepository) private readonly participants: ParticipantsRepository,
    @Inject(KeysRepository) private readonly keys: KeysRepository,
  ) {}

  async gateway(): Promise<{ keys: Record<string, unknown>[] }> {
    return { keys: await this.gatewayKeys.list(this.db) };
  }

  /** Active and retired keys: retired ones still verify what they signed; revoked ones leave. */
  async participant(id: string): Promise<{ keys: Record<string, unknown>[] }> {
    if ((await this.participants.find(this.db, id)) === undefined)
      throw new RdxError('not-found', `no participant ${id}`);
    const keys = await this.keys.listByParticipant(this.db, id);
    return { keys: keys.filter((k) => k.status !== 'revoked').map((k) => k.jwk) };
  }
}
