import { generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import { isRegistrableEd25519Key, libsodiumEd25519 } from './ed25519';

/** A fresh key pair: Node's key objects, and the raw seed and public key libsodium takes. */
function aKeyPair() {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const jwk = privateKey.export({ format: 'jwk' });
  return {
    publicKey,
    privateKey,
    seed: Buffer.from(jwk.d!, 'base64url'),
    raw: Buffer.from(jwk.x!, 'base64url'),
  };
}

describe('libsodium Ed25519', () => {
  const ed25519 = libsodiumEd25519()!;

  it('loads here', () => {
    expect(ed25519).not.toBeNull();
  });

  it("agrees with Node's own on signatures made by either", () => {
    for (let i = 0; i < 50; i++) {
      const keys = aKeyPair();
      const message = randomBytes(1 + Math.floor(Math.random() * 3000));
      const byNode = sign(null, message, keys.privateKey);
      expect(ed25519.verify(byNode, message, keys.raw)).toBe(true);
      const bySodium = ed25519.sign(message, ed25519.secretKey(keys.seed));
      // Ed25519 is deterministic: the same key and message give the same signature.
      expect(bySodium.equals(byNode)).toBe(true);
      expect(verify(null, message, keys.publicKey, bySodium)).toBe(true);
    }
  });

  it('refuses a changed message, a changed signature, another key and wrong lengths', () => {
    const keys = aKeyPair();
    const message = Buffer.from('{"id":"m-1"}');
    const signature = ed25519.sign(message, ed25519.secretKey(keys.seed));
    expect(ed25519.verify(signature, Buffer.from('{"id":"m-2"}'), keys.raw)).toBe(false);
    const flipped = Buffer.from(signature);
    flipped[10] ^= 1;
    expect(ed25519.verify(flipped, message, keys.raw)).toBe(false);
    expect(ed25519.verify(signature, message, aKeyPair().raw)).toBe(false);
    expect(ed25519.verify(signature.subarray(0, 63), message, keys.raw)).toBe(false);
    expect(ed25519.verify(signature, message, keys.raw.subarray(0, 31))).toBe(false);
    expect(() => ed25519.secretKey(keys.seed.subarray(0, 31))).toThrow('32 bytes');
  });
});

/** y as Ed25519 encodes it: 32 bytes little-endian, the sign of x in the top bit. */
function encoded(y: bigint, xNegative = false): Buffer {
  const bytes = Buffer.alloc(32);
  for (let i = 0; i < 32; i++, y >>= 8n) bytes[i] = Number(y & 0xffn);
  if (xNegative) bytes[31] |= 0x80;
  return bytes;
}

const FIELD = 2n ** 255n - 19n;

/** The eight points of small order, each of which "verifies" forged signatures. */
const SMALL_ORDER: [string, Buffer][] = [
  ['the neutral point (order 1)', encoded(1n)],
  ['a point of order 2', encoded(FIELD - 1n)],
  ['a point of order 4, x positive', encoded(0n)],
  ['a point of order 4, x negative', encoded(0n, true)],
  // The Edwards images of curve25519's two u-coordinates of order 8, each with both signs of x.
  [
    'a point of order 8 (1)',
    Buffer.from('c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a', 'hex'),
  ],
  [
    'a point of order 8 (2)',
    Buffer.from('c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa', 'hex'),
  ],
  [
    'a point of order 8 (3)',
    Buffer.from('26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05', 'hex'),
  ],
  [
    'a point of order 8 (4)',
    Buffer.from('26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85', 'hex'),
  ],
];

describe.each([
  ['libsodium', libsodiumEd25519()],
  ["OpenSSL's X25519 (where libsodium does not load)", null],
])('isRegistrableEd25519Key, by %s', (_backend, ed25519) => {
  it('accepts real public keys', () => {
    for (let i = 0; i < 50; i++) expect(isRegistrableEd25519Key(aKeyPair().raw, ed25519)).toBe(true);
  });

  it.each(SMALL_ORDER)('refuses %s', (_what, point) => {
    expect(isRegistrableEd25519Key(point, ed25519)).toBe(false);
  });

  it('refuses a non-canonical encoding (y not below p) and a wrong length', () => {
    expect(isRegistrableEd25519Key(encoded(FIELD + 1n), ed25519)).toBe(false);
    expect(isRegistrableEd25519Key(encoded(FIELD), ed25519)).toBe(false);
    expect(isRegistrableEd25519Key(aKeyPair().raw.subarray(0, 31), ed25519)).toBe(false);
  });
});
