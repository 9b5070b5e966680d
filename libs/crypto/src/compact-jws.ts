import { createPublicKey, JsonWebKey, KeyObject, verify as verifySignature } from 'node:crypto';
import { JWK } from 'jose';
import { Ed25519, libsodiumEd25519 } from './ed25519';
import { SigningAlgorithm } from './public-jwk';

/** The typ of each kind of signed object; one presented as another is refused. */
export type SignedObjectType = 'rdx+jws' | 'rdx-ack+jws' | 'JWT' | 'rdx-receipt+jws';

/** Why a compact JWS was refused at the signature layer; the code maps to a problem type. */
export class JwsError extends Error {
  override readonly name = 'JwsError';
  constructor(
    readonly code: 'malformed' | 'invalid-signature' | 'unknown-key' | 'wrong-typ',
    message: string,
  ) {
    super(message);
  }
}

export interface ProtectedHeader {
  alg: SigningAlgorithm;
  kid: string;
  typ: SignedObjectType;
  [member: string]: unknown;
}

/** What a verifier needs to know about the key a JWS names. */
export interface VerificationKey {
  kid: string;
  alg: SigningAlgorithm;
  jwk: JWK;
}

export interface VerifiedJws<K extends VerificationKey> {
  header: ProtectedHeader;
  key: K;
  payload: Uint8Array;
}

const SEGMENT = /^[A-Za-z0-9_-]*$/;
const ALGORITHMS: readonly string[] = ['ES256', 'EdDSA'];

/**
 * Reads the protected header of a compact JWS without verifying it.
 * Throws `malformed` for anything that is not three base64url segments with a JSON object header.
 */
export function readProtectedHeader(jws: string): Record<string, unknown> {
  const parts = jws.split('.');
  if (parts.length !== 3 || !parts.every((part) => SEGMENT.test(part)) || parts[0] === '') {
    throw new JwsError('malformed', 'the body is not a compact JWS (three base64url segments)');
  }
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
  } catch {
    throw new JwsError('malformed', 'the JWS protected header is not JSON');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new JwsError('malformed', 'the JWS protected header is not a JSON object');
  }
  return header as Record<string, unknown>;
}

/**
 * Verifies a compact JWS against a key from the registry only (jku, jwk, x5u and x5c
 * are never followed), refusing crit, unknown algorithms, an alg that does not match the
 * key, and a typ other than the one expected.
 */
export class JwsVerifier {
  // Imported keys are cached by kid: a kid never changes its key material.
  private readonly imported = new Map<string, KeyObject>();
  private readonly rawEd25519 = new Map<string, Buffer>();

  /** `ed25519`: libsodium where it loads; with null, Node's own checks Ed25519 too. */
  constructor(private readonly ed25519: Ed25519 | null = libsodiumEd25519()) {}

  async verify<K extends VerificationKey>(
    jws: string,
    expectedTyp: SignedObjectType,
    lookup: (kid: string) => Promise<K | undefined>,
  ): Promise<VerifiedJws<K>> {
    const header = readProtectedHeader(jws);
    if (typeof header.alg !== 'string' || !ALGORITHMS.includes(header.alg)) {
      throw new JwsError(
        'invalid-signature',
        `alg must be ES256 or EdDSA, not ${JSON.stringify(header.alg)}`,
      );
    }
    if ('crit' in header) {
      throw new JwsError('invalid-signature', 'the crit header is refused: version 1 defines no extension');
    }
    if (header.typ !== expectedTyp) {
      throw new JwsError(
        'wrong-typ',
        `typ must be "${expectedTyp}", not ${JSON.stringify(header.typ ?? null)}`,
      );
    }
    if (typeof header.kid !== 'string' || header.kid === '') {
      throw new JwsError('unknown-key', 'the protected header names no kid');
    }
    const key = await lookup(header.kid);
    if (key === undefined) throw new JwsError('unknown-key', `no registered key has kid "${header.kid}"`);
    if (key.alg !== header.alg) {
      throw new JwsError(
        'invalid-signature',
        `kid "${key.kid}" is an ${key.alg} key, the header says ${header.alg}`,
      );
    }
    // RFC 8037 and RFC 7518 3.4 (r || s): 64 bytes either way. Ed25519 is checked by libsodium
    // at once (50 µs); P-256, or Ed25519 without libsodium, by Node's own on libuv's thread pool,
    // so the event loop goes on parsing and answering other requests meanwhile.
    const end = jws.lastIndexOf('.');
    const signature = Buffer.from(jws.slice(end + 1), 'base64url');
    const input = Buffer.from(jws.slice(0, end), 'ascii');
    const valid =
      signature.length === 64 &&
      (key.alg === 'EdDSA' && this.ed25519 !== null
        ? this.checkEd25519(this.ed25519, key, input, signature)
        : await this.checkSignature(key, input, signature));
    if (!valid)
      throw new JwsError('invalid-signature', 'the signature does not verify with the registered key');
    const payload = Buffer.from(jws.slice(jws.indexOf('.') + 1, end), 'base64url');
    return { header: header as ProtectedHeader, key, payload: new Uint8Array(payload) };
  }

  /** Checks a signature on the thread pool; any error (a key that does not import, say) is `false`. */
  private checkSignature(key: VerificationKey, input: Buffer, signature: Buffer): Promise<boolean> {
    return new Promise((resolve) => {
      const done = (error: Error | null, valid: boolean) => resolve(error === null && valid);
      try {
        const publicKey = this.importKey(key);
        if (key.alg === 'EdDSA') verifySignature(null, input, publicKey, signature, done);
        else verifySignature('sha256', input, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature, done);
      } catch {
        resolve(false);
      }
    });
  }

  /** Checks an Ed25519 signature with libsodium; a key that is not a 32-byte `x` is `false`. */
  private checkEd25519(ed25519: Ed25519, key: VerificationKey, input: Buffer, signature: Buffer): boolean {
    let raw = this.rawEd25519.get(key.kid);
    if (raw === undefined) {
      const { kty, crv, x } = key.jwk;
      raw =
        kty === 'OKP' && crv === 'Ed25519' && typeof x === 'string'
          ? Buffer.from(x, 'base64url')
          : Buffer.alloc(0);
      this.rawEd25519.set(key.kid, raw);
    }
    return ed25519.verify(signature, input, raw);
  }

  private importKey(key: VerificationKey): KeyObject {
    let imported = this.imported.get(key.kid);
    if (imported === undefined) {
      imported = createPublicKey({ key: key.jwk as JsonWebKey, format: 'jwk' });
      this.imported.set(key.kid, imported);
    }
    return imported;
  }
}
