import { createPublicKey, diffieHellman, generateKeyPairSync } from 'node:crypto';

/** The part of sodium-native (libsodium's bindings) that Ed25519 needs. */
interface Sodium {
  crypto_sign_BYTES: number;
  crypto_sign_PUBLICKEYBYTES: number;
  crypto_sign_SECRETKEYBYTES: number;
  crypto_sign_SEEDBYTES: number;
  crypto_sign_verify_detached(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
  crypto_sign_detached(signature: Uint8Array, message: Uint8Array, secretKey: Uint8Array): void;
  crypto_sign_seed_keypair(publicKey: Uint8Array, secretKey: Uint8Array, seed: Uint8Array): void;
  crypto_core_ed25519_BYTES: number;
  crypto_core_ed25519_is_valid_point(point: Uint8Array): boolean;
  sodium_malloc(size: number): Buffer;
}

/**
 * Ed25519 checks and signatures done at once, on the calling thread, by libsodium: a check
 * costs about 50 µs of CPU there, against about 80 µs for Node's own (OpenSSL's) plus the
 * thread pool's round trip. libsodium is also the stricter of the two: it refuses what RFC 8032
 * leaves open (small-order keys and R points, non-canonical encodings), so whatever it accepts,
 * every other verifier accepts too.
 */
export interface Ed25519 {
  /** Whether `signature` (64 bytes) over `message` verifies with the raw 32-byte public key. */
  verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
  /** The secret key to `sign` with, from a JWK's 32-byte `d` (the seed), kept in guarded memory. */
  secretKey(seed: Uint8Array): Uint8Array;
  /** A 64-byte signature over `message`. */
  sign(message: Uint8Array, secretKey: Uint8Array): Buffer;
  /**
   * Whether a raw 32-byte public key is a canonical encoding of a point of the prime-order
   * subgroup: not of small order, as no real key is.
   */
  isValidPublicKey(publicKey: Uint8Array): boolean;
}

let loaded: Ed25519 | null | undefined;

/**
 * libsodium's Ed25519, or null where its native addon does not load on this platform (the
 * callers then use Node's own, on the thread pool).
 */
export function libsodiumEd25519(): Ed25519 | null {
  if (loaded === undefined) loaded = load();
  return loaded;
}

function load(): Ed25519 | null {
  let sodium: Sodium;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    sodium = require('sodium-native') as Sodium;
  } catch {
    return null;
  }
  return {
    verify: (signature, message, publicKey) =>
      signature.length === sodium.crypto_sign_BYTES &&
      publicKey.length === sodium.crypto_sign_PUBLICKEYBYTES &&
      sodium.crypto_sign_verify_detached(signature, message, publicKey),
    secretKey: (seed) => {
      if (seed.length !== sodium.crypto_sign_SEEDBYTES) throw new Error('an Ed25519 seed is 32 bytes');
      const secretKey = sodium.sodium_malloc(sodium.crypto_sign_SECRETKEYBYTES);
      sodium.crypto_sign_seed_keypair(Buffer.alloc(sodium.crypto_sign_PUBLICKEYBYTES), secretKey, seed);
      return secretKey;
    },
    sign: (message, secretKey) => {
      const signature = Buffer.alloc(sodium.crypto_sign_BYTES);
      sodium.crypto_sign_detached(signature, message, secretKey);
      return signature;
    },
    isValidPublicKey: (publicKey) =>
      publicKey.length === sodium.crypto_core_ed25519_BYTES &&
      sodium.crypto_core_ed25519_is_valid_point(publicKey),
  };
}

/**
 * Whether a raw Ed25519 public key may be registered. A key of small order has no secret behind
 * it: with one, a signature can be made for any message without a private key, and verifiers
 * that follow RFC 8032 to the letter (OpenSSL's before 3.5 among them) accept it. libsodium refuses such
 * keys, and anything else that is not a point of the prime-order subgroup. Where it does not
 * load, OpenSSL's X25519 tells small order instead: on the birationally equivalent Montgomery
 * curve such a point's u-coordinate makes an all-zero shared secret, which OpenSSL refuses.
 */
export function isRegistrableEd25519Key(publicKey: Uint8Array, ed25519 = libsodiumEd25519()): boolean {
  if (publicKey.length !== 32) return false;
  if (ed25519 !== null) return ed25519.isValidPublicKey(publicKey);
  // y is the encoding with the top bit (the sign of x) cleared, little-endian.
  let y = 0n;
  for (let i = 31; i >= 0; i--) y = (y << 8n) | BigInt(i === 31 ? publicKey[i] & 0x7f : publicKey[i]);
  if (y >= FIELD || y === 1n) return false; // not canonical, or the neutral point
  const u = ((1n + y) * inverse(FIELD + 1n - y)) % FIELD;
  try {
    diffieHellman({
      privateKey: generateKeyPairSync('x25519').privateKey,
      publicKey: createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: littleEndian(u) }, format: 'jwk' }),
    });
    return true;
  } catch {
    return false;
  }
}

/** p = 2^255 - 19, the field both curves are over. */
const FIELD = 2n ** 255n - 19n;

/** 1 / n in the field, by Fermat: n^(p-2). */
function inverse(n: bigint): bigint {
  let result = 1n;
  let base = n % FIELD;
  for (let e = FIELD - 2n; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * base) % FIELD;
    base = (base * base) % FIELD;
  }
  return result;
}

function littleEndian(n: bigint): string {
  const bytes = Buffer.alloc(32);
  for (let i = 0; i < 32; i++, n >>= 8n) bytes[i] = Number(n & 0xffn);
  return bytes.toString('base64url');
}
