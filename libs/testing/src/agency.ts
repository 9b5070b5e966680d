import { createPrivateKey, randomUUID, sign as nodeSign } from 'node:crypto';
import { CompactSign, exportJWK, generateKeyPair, JWK, SignJWT } from 'jose';

type Alg = 'ES256' | 'EdDSA';
type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

/** An envelope as a test wants it: anything left out gets a sensible value. */
export type EnvelopeInput = Partial<{
  id: string;
  type: string;
  time: string;
  subject: string;
  recipients: string;
  tlp: string;
  handling: string;
  data: unknown;
  source: string;
  [extra: string]: unknown;
}>;

/**
 * A simulated partner agency holding its own private key, as a real client would:
 * it signs messages, acknowledgements and bearer tokens. Only its public JWK is registered.
 */
export class TestAgency {
  private constructor(
    readonly id: string,
    readonly kind: string,
    readonly alg: Alg,
    readonly kid: string,
    private readonly privateKey: PrivateKey,
    readonly publicJwk: JWK & { kid: string },
    readonly privateJwk: JWK & { kid: string },
  ) {}

  static async create(
    id: string,
    kind: string,
    alg: Alg = 'EdDSA',
    kid = `${id}-${randomUUID().slice(0, 8)}`,
  ): Promise<TestAgency> {
    const { privateKey } = await generateKeyPair(alg, {
      extractable: true,
      ...(alg === 'EdDSA' ? { crv: 'Ed25519' } : {}),
    });
    const privateJwk = { ...(await exportJWK(privateKey)), kid };
    const { d: _d, ...publicJwk } = privateJwk;
    return new TestAgency(id, kind, alg, kid, privateKey, publicJwk as JWK & { kid: string }, privateJwk);
  }

  /** A fresh key pair for the same agency (rotation). */
  async withNewKey(alg: Alg = this.alg): Promise<TestAgency> {
    return TestAgency.create(this.id, this.kind, alg);
  }

  envelope(input: EnvelopeInput = {}): Record<string, unknown> {
    return {
      specversion: '1.0',
      id: randomUUID(),
      source: this.id,
      type: 'org.asean.rdx.trafficking-incident-alert.v1',
      time: new Date().toISOString(),
      datacontenttype: 'application/json',
      tlp: 'amber',
      data: {},
      ...input,
    };
  }

  /** Signs any payload with jose, with the given typ (rdx+jws unless told). */
  async sign(payload: unknown, typ = 'rdx+jws', header: Record<string, unknown> = {}): Promise<string> {
    return new CompactSign(Buffer.from(JSON.stringify(payload), 'utf8'))
      .setProtectedHeader({ alg: this.alg, kid: this.kid, typ, ...header })
      .sign(this.privateKey);
  }

  async signMessage(input: EnvelopeInput = {}): Promise<{ jws: string; envelope: Record<string, unknown> }> {
    const envelope = this.envelope(input);
    return { jws: await this.sign(envelope), envelope };
  }

  async signAck(messageId: string, status: string, extra: Record<string, unknown> = {}): Promise<string> {
    return this.sign({ messageId, status, time: new Date().toISOString(), ...extra }, 'rdx-ack+jws');
  }

  /** A bearer JWT for one request (each gets its own jti). */
  async bearer(
    audience = 'rdx-gateway',
    claims: Record<string, unknown> = {},
    lifetimeSeconds = 120,
    issuedAt = Math.floor(Date.now() / 1000),
  ): Promise<string> {
    const now = issuedAt;
    return new SignJWT({ jti: randomUUID(), ...claims })
      .setProtectedHeader({ alg: this.alg, kid: this.kid, typ: 'JWT' })
      .setIssuer(this.id)
      .setSubject(this.id)
      .setAudience(audience)
      .setIssuedAt(now)
      .setExpirationTime(now + lifetimeSeconds)
      .sign(this.privateKey);
  }
}

/**
 * Signs a compact JWS with Node's own crypto, not jose, so that tests do not only check the
 * gateway against the library it uses itself.
 */
export function signWithNodeCrypto(
  privateJwk: JWK,
  header: Record<string, unknown>,
  payload: unknown,
): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
  const input = `${encode(header)}.${encode(payload)}`;
  const key = createPrivateKey({ key: privateJwk as import('node:crypto').JsonWebKey, format: 'jwk' });
  const signature =
    privateJwk.kty === 'EC'
      ? nodeSign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' })
      : nodeSign(null, Buffer.from(input), key);
  return `${input}.${signature.toString('base64url')}`;
}
