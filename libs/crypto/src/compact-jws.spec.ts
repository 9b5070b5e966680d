import { jwsVectors, vectorPublicKeys } from '@rdx/testing';
import { JwsError, JwsVerifier, VerificationKey } from './compact-jws';
import { digestOf } from './digest';
import { libsodiumEd25519 } from './ed25519';
import { toPublicKey } from './public-jwk';

// Ed25519 is checked by libsodium where it loads, by Node's own otherwise: both against the vectors.
describe.each([
  ['libsodium', libsodiumEd25519()],
  ["Node's own Ed25519", null],
])('JwsVerifier against the independent vectors (%s)', (_backend, ed25519) => {
  let registry: Map<string, VerificationKey>;
  const verifier = new JwsVerifier(ed25519);
  const lookup = async (kid: string) => registry.get(kid);

  beforeAll(async () => {
    const keys = await Promise.all(vectorPublicKeys().map((jwk) => toPublicKey(jwk)));
    registry = new Map(keys.map((key) => [key.kid, key]));
  });

  const vectors = jwsVectors();

  it.each(vectors.map((v) => [v.name, v] as const))('%s: the receipt digest matches', (_name, vector) => {
    expect(digestOf(vector.jws)).toBe(vector.sha256);
  });

  const accepted = vectors.filter((v) => v.expect === 'valid' || v.expect === 'valid-ignore-jku');
  it.each(accepted.map((v) => [v.name, v] as const))('%s verifies', async (_name, vector) => {
    const fetchSpy = jest.spyOn(globalThis, 'fetch');
    const verified = await verifier.verify(vector.jws, 'rdx+jws', lookup);
    expect(JSON.parse(Buffer.from(verified.payload).toString('utf8')).specversion).toBe('1.0');
    expect(fetchSpy).not.toHaveBeenCalled();
    fetchSpy.mockRestore();
  });

  const refused = vectors.filter((v) => v.expect === 'invalid' || v.expect === 'malformed');
  it.each(refused.map((v) => [v.name, v] as const))(
    '%s is refused at the right layer',
    async (_name, vector) => {
      const error = await verifier.verify(vector.jws, 'rdx+jws', lookup).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(JwsError);
      if (vector.expect === 'malformed') expect((error as JwsError).code).toBe('malformed');
      else expect((error as JwsError).code).not.toBe('malformed');
    },
  );

  it('refuses a message presented where an acknowledgement is expected', async () => {
    const valid = vectors.find((v) => v.name === 'valid-es256')!;
    const error = await verifier.verify(valid.jws, 'rdx-ack+jws', lookup).catch((e: unknown) => e);
    expect((error as JwsError).code).toBe('wrong-typ');
  });

  it('refuses, as a bad signature, a registered key that Node cannot import', async () => {
    const valid = vectors.find((v) => v.name === 'valid-eddsa')!;
    const registered = registry.get(
      (JSON.parse(Buffer.from(valid.jws.split('.')[0], 'base64url').toString('utf8')) as { kid: string }).kid,
    )!;
    const broken: VerificationKey = {
      ...registered,
      kid: `${registered.kid}-broken`,
      jwk: { ...registered.jwk, x: 'AAAA' },
    };
    const error = await new JwsVerifier(ed25519)
      .verify(valid.jws, 'rdx+jws', async () => broken)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JwsError);
    expect((error as JwsError).code).toBe('invalid-signature');
  });

  it('refuses an unknown kid', async () => {
    const valid = vectors.find((v) => v.name === 'valid-eddsa')!;
    const error = await verifier.verify(valid.jws, 'rdx+jws', async () => undefined).catch((e: unknown) => e);
    expect((error as JwsError).code).toBe('unknown-key');
  });
});

describe('JwsVerifier with libsodium', () => {
  it('is what this platform uses', () => {
    expect(libsodiumEd25519()).not.toBeNull();
  });

  it('refuses a signature that a key of small order would "verify" for any message', async () => {
    // The identity point as a public key, R the identity and S zero: a verifier that follows
    // RFC 8032 to the letter (OpenSSL before 3.5) accepts this for every message. libsodium
    // refuses keys and R points of small order, and so does the OpenSSL of Node 24 and later.
    const identity = Buffer.alloc(32);
    identity[0] = 1;
    const key: VerificationKey = {
      kid: 'small-order',
      alg: 'EdDSA',
      jwk: { kty: 'OKP', crv: 'Ed25519', x: identity.toString('base64url') },
    };
    const header = Buffer.from(JSON.stringify({ alg: 'EdDSA', kid: key.kid, typ: 'rdx+jws' })).toString(
      'base64url',
    );
    const payload = Buffer.from('{"specversion":"1.0"}').toString('base64url');
    const jws = `${header}.${payload}.${Buffer.concat([identity, Buffer.alloc(32)]).toString('base64url')}`;
    const error = await new JwsVerifier().verify(jws, 'rdx+jws', async () => key).catch((e: unknown) => e);
    expect((error as JwsError).code).toBe('invalid-signature');
    const byNode = await new JwsVerifier(null)
      .verify(jws, 'rdx+jws', async () => key)
      .catch((e: unknown) => e);
    expect((byNode as JwsError).code).toBe('invalid-signature');
  });
});
