import { jwsVectors, vectorPublicKeys } from '@rdx/testing';
import { JwsError, JwsVerifier, VerificationKey } from './compact-jws';
import { digestOf } from './digest';
import { toPublicKey } from './public-jwk';

describe('JwsVerifier against the independent vectors', () => {
  let registry: Map<string, VerificationKey>;
  const verifier = new JwsVerifier();
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
    const error = await new JwsVerifier()
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
