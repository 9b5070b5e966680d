import { randomUUID } from 'node:crypto';
import {
  calculateJwkThumbprint,
  CompactSign,
  exportJWK,
  generateKeyPair,
  importJWK,
  JWK,
  SignJWT,
} from 'jose';

export type SigningAlg = 'ES256' | 'EdDSA';
export type AckStatus = 'received' | 'accepted' | 'rejected' | 'actioned';
type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

/**
 * What an agency's own system signs for RDX, with a private key that never leaves it: messages
 * (`rdx+jws`), acknowledgements (`rdx-ack+jws`) and one-request bearer tokens (`JWT`).
 * @example
 * const signer = await AgencySigner.generate('KH.CNP', 'ES256');
 * // register signer.publicJwk with an administrator, then:
 * const jws = await signer.signMessage(envelope);
 */
export class AgencySigner {
  private constructor(
    readonly participantId: string,
    readonly alg: SigningAlg,
    readonly kid: string,
    readonly publicJwk: JWK & { kid: string },
    private readonly privateKey: PrivateKey,
  ) {}

  /**
   * Makes a new key pair. Its kid is its RFC 7638 thumbprint unless one is given. An
   * unextractable key cannot be written out, not even by this process.
   */
  static async generate(
    participantId: string,
    alg: SigningAlg,
    options: { kid?: string; extractable?: boolean } = {},
  ): Promise<AgencySigner> {
    const { publicKey, privateKey } = await generateKeyPair(alg, {
      extractable: options.extractable ?? false,
      ...(alg === 'EdDSA' ? { crv: 'Ed25519' } : {}),
    });
    const jwk = await exportJWK(publicKey);
    const kid = options.kid ?? (await calculateJwkThumbprint(jwk));
    return new AgencySigner(participantId, alg, kid, { ...jwk, kid, alg, use: 'sig' }, privateKey);
  }

  /** Uses an existing private JWK (EC P-256 or OKP Ed25519) with its kid. */
  static async fromPrivateJwk(participantId: string, jwk: JWK & { kid: string }): Promise<AgencySigner> {
    const alg: SigningAlg = jwk.kty === 'EC' ? 'ES256' : 'EdDSA';
    const { d: _d, ...publicJwk } = jwk;
    const privateKey = (await importJWK(jwk, alg)) as PrivateKey;
    return new AgencySigner(participantId, alg, jwk.kid, publicJwk as JWK & { kid: string }, privateKey);
  }

  /** Signs a CloudEvents envelope as an RDX message. */
  signMessage(envelope: Record<string, unknown>): Promise<string> {
    return this.sign(envelope, 'rdx+jws');
  }

  /** Signs an acknowledgement of a message this agency received. */
  signAck(
    messageId: string,
    status: AckStatus,
    extra: { reason?: string; time?: string } = {},
  ): Promise<string> {
    return this.sign({ messageId, status, time: new Date().toISOString(), ...extra }, 'rdx-ack+jws');
  }

  /** A bearer JWT for one request: a fresh jti, valid `lifetimeSeconds` (at most 300) from `issuedAt`. */
  bearer(
    audience = 'rdx-gateway',
    options: { lifetimeSeconds?: number; issuedAt?: number; claims?: Record<string, unknown> } = {},
  ): Promise<string> {
    const issuedAt = options.issuedAt ?? Math.floor(Date.now() / 1000);
    return new SignJWT({ jti: randomUUID(), ...options.claims })
      .setProtectedHeader({ alg: this.alg, kid: this.kid, typ: 'JWT' })
      .setIssuer(this.participantId)
      .setSubject(this.participantId)
      .setAudience(audience)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + (options.lifetimeSeconds ?? 120))
      .sign(this.privateKey);
  }

  /** Signs any JSON payload with the given typ and extra protected header members. */
  sign(payload: unknown, typ: string, header: Record<string, unknown> = {}): Promise<string> {
    return new CompactSign(Buffer.from(JSON.stringify(payload), 'utf8'))
      .setProtectedHeader({ alg: this.alg, kid: this.kid, typ, ...header })
      .sign(this.privateKey);
  }
}
