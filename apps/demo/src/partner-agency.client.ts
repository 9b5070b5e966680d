import { randomUUID } from 'node:crypto';
import { calculateJwkThumbprint, CompactSign, exportJWK, generateKeyPair, JWK, SignJWT } from 'jose';

export type SigningAlg = 'ES256' | 'EdDSA';
type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

/**
 * An agency's own client: it makes its key pair itself and keeps the private half in memory,
 * not even extractable. It signs messages, acknowledgements and bearer tokens; only its public
 * JWK is ever given to anyone.
 */
export class PartnerAgency {
  private constructor(
    readonly id: string,
    readonly name: string,
    readonly kind: string,
    readonly alg: SigningAlg,
    readonly kid: string,
    readonly publicJwk: JWK,
    private readonly privateKey: PrivateKey,
  ) {}

  static async create(id: string, name: string, kind: string, alg: SigningAlg): Promise<PartnerAgency> {
    const { publicKey, privateKey } = await generateKeyPair(alg, {
      extractable: false,
      ...(alg === 'EdDSA' ? { crv: 'Ed25519' } : {}),
    });
    const jwk = await exportJWK(publicKey);
    // The RFC 7638 thumbprint is the kid the gateway would assign; setting it here lets the
    // agency sign before it hears back from the administrator.
    const kid = await calculateJwkThumbprint(jwk);
    return new PartnerAgency(id, name, kind, alg, kid, { ...jwk, kid, alg, use: 'sig' }, privateKey);
  }

  /** Signs a CloudEvents envelope as an RDX message (typ rdx+jws). */
  signMessage(envelope: Record<string, unknown>): Promise<string> {
    return this.sign(envelope, 'rdx+jws');
  }

  /** Signs an acknowledgement of a message it received (typ rdx-ack+jws). */
  signAck(messageId: string, status: 'received' | 'accepted' | 'rejected' | 'actioned'): Promise<string> {
    return this.sign({ messageId, status, time: new Date().toISOString() }, 'rdx-ack+jws');
  }

  /** A bearer JWT for exactly one request: short-lived, with a fresh jti (PROTOCOL.md section 2). */
  bearer(audience: string, lifetimeSeconds = 120): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ jti: randomUUID() })
      .setProtectedHeader({ alg: this.alg, kid: this.kid, typ: 'JWT' })
      .setIssuer(this.id)
      .setSubject(this.id)
      .setAudience(audience)
      .setIssuedAt(now)
      .setExpirationTime(now + lifetimeSeconds)
      .sign(this.privateKey);
  }

  private sign(payload: unknown, typ: string): Promise<string> {
    return new CompactSign(Buffer.from(JSON.stringify(payload), 'utf8'))
      .setProtectedHeader({ alg: this.alg, kid: this.kid, typ })
      .sign(this.privateKey);
  }
}
