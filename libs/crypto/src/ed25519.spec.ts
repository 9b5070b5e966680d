import { generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import { libsodiumEd25519 } from './ed25519';

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
