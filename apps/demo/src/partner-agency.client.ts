import { AgencySigner, AckStatus, SigningAlg } from '@rdx/client';
import { JWK } from 'jose';

/**
 * An agency's own client: it makes its key pair itself (unextractable, so not even this process
 * can write the private half out) and signs with `@rdx/client`. Only its public JWK is ever
 * given to anyone.
 */
export class PartnerAgency {
  private constructor(
    readonly name: string,
    readonly kind: string,
    private readonly signer: AgencySigner,
  ) {}

  static async create(id: string, name: string, kind: string, alg: SigningAlg): Promise<PartnerAgency> {
    return new PartnerAgency(name, kind, await AgencySigner.generate(id, alg));
  }

  get id(): string {
    return this.signer.participantId;
  }

  get alg(): SigningAlg {
    return this.signer.alg;
  }

  /** The RFC 7638 thumbprint, the kid the gateway would assign: the agency can sign before it hears back. */
  get kid(): string {
    return this.signer.kid;
  }

  get publicJwk(): JWK {
    return this.signer.publicJwk;
  }

  signMessage(envelope: Record<string, unknown>): Promise<string> {
    return this.signer.signMessage(envelope);
  }

  signAck(messageId: string, status: AckStatus): Promise<string> {
    return this.signer.signAck(messageId, status);
  }

  bearer(audience: string): Promise<string> {
    return this.signer.bearer(audience);
  }
}
