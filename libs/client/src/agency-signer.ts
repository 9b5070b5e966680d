import { randomUUID, webcrypto } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, JWK } from 'jose';
import type { AckStatus } from './views';

export type SigningAlg = 'ES256' | 'EdDSA';

/**
 * Signs the bytes of a JWS signing input and returns the raw signature (`r || s` for ES256, as
 * RFC 7518 section 3.4 says; the 64 bytes of Ed25519). A key held in an HSM signs through one.
 */
export type SignatureCallback = (signingInput: Uint8Array) => Promise<Uint8Array>;

const WEB_CRYPTO_ALGORITHM = {
  ES256: { name: 'ECDSA', hash: 'SHA-256' },
  EdDSA: { name: 'Ed25519' },
} as const;

const base64url = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64url');

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
    private readonly signBytes: SignatureCallback,
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
    return new AgencySigner(
      participantId,
      alg,
      kid,
      { ...jwk, kid, alg, use: 'sig' },
      webCryptoSigner(alg, privateKey),
    );
  }

  /** Uses an existing private JWK (EC P-256 or OKP Ed25519) with its kid. */
  static async fromPrivateJwk(participantId: string, jwk: JWK & { kid: string }): Promise<AgencySigner> {
    const alg: SigningAlg = jwk.kty === 'EC' ? 'ES256' : 'EdDSA';
    const { d: _d, ...publicJwk } = jwk;
    const privateKey = (await importJWK(jwk, alg)) as webcrypto.CryptoKey;
    return new AgencySigner(
      participantId,
      alg,
      jwk.kid,
      publicJwk as JWK & { kid: string },
      webCryptoSigner(alg, privateKey),
    );
  }

  /**
   * Signs with a key this process never holds, such as one in an HSM: `sign` gets the bytes of
   * each signing input and returns the raw signature.
   * @example AgencySigner.fromCallback('KH.CNP', { alg: 'ES256', kid, sign: (input) => hsm.sign(input) })
   */
  static fromCallback(
    participantId: string,
    options: { alg: SigningAlg; kid: string; sign: SignatureCallback; publicJwk: JWK & { kid: string } },
  ): AgencySigner {
    return new AgencySigner(participantId, options.alg, options.kid, options.publicJwk, options.sign);
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
    const iat = options.issuedAt ?? Math.floor(Date.now() / 1000);
    const claims = {
      jti: randomUUID(),
      ...options.claims,
      iss: this.participantId,
      sub: this.participantId,
      aud: audience,
      iat,
      exp: iat + (options.lifetimeSeconds ?? 120),
    };
    return this.sign(claims, 'JWT');
  }

  /** Signs any JSON payload with the given typ and extra protected header members. */
  async sign(payload: unknown, typ: string, header: Record<string, unknown> = {}): Promise<string> {
    const input = `${base64url(JSON.stringify({ alg: this.alg, kid: this.kid, typ, ...header }))}.${base64url(
      JSON.stringify(payload),
    )}`;
    const signature = await this.signBytes(Buffer.from(input, 'ascii'));
    return `${input}.${base64url(signature)}`;
  }
}

function webCryptoSigner(alg: SigningAlg, key: webcrypto.CryptoKey): SignatureCallback {
  return async (input) => new Uint8Array(await webcrypto.subtle.sign(WEB_CRYPTO_ALGORITHM[alg], key, input));
}
