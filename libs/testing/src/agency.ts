import { createPrivateKey, randomUUID, sign as nodeSign } from 'node:crypto';
import { AgencySigner } from '@rdx/client';
import { exportJWK, generateKeyPair, JWK } from 'jose';

type Alg = 'ES256' | 'EdDSA';

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
 * A simulated partner agency holding its own private key, as a real client would: it signs
 * messages, acknowledgements and bearer tokens with `@rdx/client`. Only its public JWK is
 * registered. Its private JWK is kept too, so a test can also sign with `signWithNodeCrypto`.
 */
export class TestAgency {
  private constructor(
    readonly id: string,
    readonly kind: string,
    private readonly signer: AgencySigner,
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
    return new TestAgency(id, kind, await AgencySigner.fromPrivateJwk(id, privateJwk), privateJwk);
  }

  get alg(): Alg {
    return this.signer.alg;
  }

  get kid(): string {
    return this.signer.kid;
  }

  get publicJwk(): JWK & { kid: string } {
    return this.signer.publicJwk;
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

  /** Signs any payload, with the given typ (rdx+jws unless told). */
  sign(payload: unknown, typ = 'rdx+jws', header: Record<string, unknown> = {}): Promise<string> {
    return this.signer.sign(payload, typ, header);
  }

  async signMessage(input: EnvelopeInput = {}): Promise<{ jws: string; envelope: Record<string, unknown> }> {
    const envelope = this.envelope(input);
    return { jws: await this.signer.signMessage(envelope), envelope };
  }

  signAck(messageId: string, status: string, extra: Record<string, unknown> = {}): Promise<string> {
    return this.sign({ messageId, status, time: new Date().toISOString(), ...extra }, 'rdx-ack+jws');
  }

  /** A bearer JWT for one request (each gets its own jti). */
  bearer(
    audience = 'rdx-gateway',
    claims: Record<string, unknown> = {},
    lifetimeSeconds = 120,
    issuedAt = Math.floor(Date.now() / 1000),
  ): Promise<string> {
    return this.signer.bearer(audience, { claims, lifetimeSeconds, issuedAt });
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
  // Bytes are signed as they are, so a test can sign JSON that JSON.stringify cannot write.
  const encode = (value: unknown) =>
    (value instanceof Uint8Array ? Buffer.from(value) : Buffer.from(JSON.stringify(value), 'utf8')).toString(
      'base64url',
    );
  const input = `${encode(header)}.${encode(payload)}`;
  const key = createPrivateKey({ key: privateJwk as import('node:crypto').JsonWebKey, format: 'jwk' });
  const signature =
    privateJwk.kty === 'EC'
      ? nodeSign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' })
      : nodeSign(null, Buffer.from(input), key);
  return `${input}.${signature.toString('base64url')}`;
}
