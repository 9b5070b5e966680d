import { createPublicKey } from 'node:crypto';
import { calculateJwkThumbprint, JWK } from 'jose';
import { isRegistrableEd25519Key } from './ed25519';

export type SigningAlgorithm = 'ES256' | 'EdDSA';

/** A participant's public key as the registry keeps it: only public members, with its kid. */
export interface PublicKey {
  kid: string;
  alg: SigningAlgorithm;
  jwk: JWK & { kid: string };
}

/** Why a JWK cannot be registered (becomes a 422 invalid-key). */
export class InvalidJwkError extends Error {
  override readonly name = 'InvalidJwkError';
}

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
const B64URL = /^[A-Za-z0-9_-]+$/;
const KID = /^[\x21-\x7e]{1,128}$/;

/**
 * Accepts an EC P-256 or OKP Ed25519 public JWK, refusing private members and points no
 * private key stands behind (off the curve, or of small order); keeps its own kid or gives it
 * its RFC 7638 thumbprint.
 */
export async function toPublicKey(input: unknown): Promise<PublicKey> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new InvalidJwkError('jwk must be a JSON object');
  }
  const jwk = input as Record<string, unknown>;
  const privateMembers = PRIVATE_MEMBERS.filter((member) => member in jwk);
  if (privateMembers.length > 0) {
    throw new InvalidJwkError(
      `jwk holds private members (${privateMembers.join(', ')}): register the public key only; private keys never reach the gateway`,
    );
  }
  let alg: SigningAlgorithm;
  let members: JWK;
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') {
    alg = 'ES256';
    members = { kty: 'EC', crv: 'P-256', x: coordinate(jwk, 'x', 32), y: coordinate(jwk, 'y', 32) };
    try {
      // OpenSSL checks that (x, y) is on the curve.
      createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: members.x, y: members.y }, format: 'jwk' });
    } catch {
      throw new InvalidJwkError('jwk x and y are not a point of P-256');
    }
  } else if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') {
    alg = 'EdDSA';
    members = { kty: 'OKP', crv: 'Ed25519', x: coordinate(jwk, 'x', 32) };
    if (!isRegistrableEd25519Key(Buffer.from(members.x!, 'base64url'))) {
      throw new InvalidJwkError(
        'jwk x is not an Ed25519 public key: it is of small order or off the prime-order subgroup, so no private key stands behind it',
      );
    }
  } else {
    throw new InvalidJwkError('jwk must be EC P-256 (ES256) or OKP Ed25519 (EdDSA)');
  }
  if (jwk.alg !== undefined && jwk.alg !== alg)
    throw new InvalidJwkError(`jwk alg must be ${alg} for this curve`);
  if (jwk.use !== undefined && jwk.use !== 'sig') throw new InvalidJwkError('jwk use must be "sig"');
  if (jwk.kid !== undefined && (typeof jwk.kid !== 'string' || !KID.test(jwk.kid))) {
    throw new InvalidJwkError('jwk kid must be 1-128 printable ASCII characters');
  }
  const kid = (jwk.kid as string | undefined) ?? (await calculateJwkThumbprint(members, 'sha256'));
  return { kid, alg, jwk: { ...members, kid, alg, use: 'sig' } };
}

function coordinate(jwk: Record<string, unknown>, member: string, bytes: number): string {
  const value = jwk[member];
  if (typeof value !== 'string' || !B64URL.test(value) || Buffer.from(value, 'base64url').length !== bytes) {
    throw new InvalidJwkError(`jwk ${member} must be ${bytes} bytes of base64url`);
  }
  return value;
}
