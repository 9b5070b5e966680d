/** The part of sodium-native (libsodium's bindings) that Ed25519 needs. */
interface Sodium {
  crypto_sign_BYTES: number;
  crypto_sign_PUBLICKEYBYTES: number;
  crypto_sign_SECRETKEYBYTES: number;
  crypto_sign_SEEDBYTES: number;
  crypto_sign_verify_detached(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
  crypto_sign_detached(signature: Uint8Array, message: Uint8Array, secretKey: Uint8Array): void;
  crypto_sign_seed_keypair(publicKey: Uint8Array, secretKey: Uint8Array, seed: Uint8Array): void;
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
  };
}
