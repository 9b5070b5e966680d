import { vectorPrivateKeys, vectorPublicKeys } from '@rdx/testing';
import { calculateJwkThumbprint } from 'jose';
import { InvalidJwkError, toPublicKey } from './public-jwk';

describe('toPublicKey', () => {
  it('keeps the JWK kid and infers the algorithm', async () => {
    const [es256, eddsa] = vectorPublicKeys();
    await expect(toPublicKey(es256)).resolves.toMatchObject({ kid: 'KH.TEST-es256-1', alg: 'ES256' });
    await expect(toPublicKey(eddsa)).resolves.toMatchObject({ kid: 'ID.TEST-ed25519-1', alg: 'EdDSA' });
  });

  it('gives a JWK without kid its RFC 7638 thumbprint', async () => {
    const { kid: _kid, ...bare } = vectorPublicKeys()[1];
    const key = await toPublicKey(bare);
    expect(key.kid).toBe(await calculateJwkThumbprint(bare, 'sha256'));
  });

  it('refuses private members, and says so without echoing them', async () => {
    const error = await toPublicKey(vectorPrivateKeys()[0]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidJwkError);
    expect((error as Error).message).toContain('private members (d)');
    expect((error as Error).message).not.toContain(vectorPrivateKeys()[0].d);
  });

  it.each([
    ['an RSA key', { kty: 'RSA', n: 'AQAB', e: 'AQAB' }],
    ['a P-384 key', { kty: 'EC', crv: 'P-384', x: 'AA', y: 'AA' }],
    ['a short coordinate', { kty: 'OKP', crv: 'Ed25519', x: 'AAAA' }],
    ['a wrong alg', { ...vectorPublicKeys()[1], alg: 'ES256' }],
    ['an Ed25519 key of small order', { kty: 'OKP', crv: 'Ed25519', x: `AQ${'A'.repeat(41)}` }],
    [
      'a P-256 point off the curve',
      { ...vectorPublicKeys()[0], y: Buffer.alloc(32, 7).toString('base64url') },
    ],
    ['not an object', 'x'],
  ])('refuses %s', async (_what, jwk) => {
    await expect(toPublicKey(jwk)).rejects.toBeInstanceOf(InvalidJwkError);
  });
});
