import { createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';
import { compactVerify, decodeProtectedHeader, importJWK, jwtVerify, JWK } from 'jose';
import { AgencySigner } from './agency-signer';

describe('AgencySigner', () => {
  it.each(['ES256', 'EdDSA'] as const)(
    'signs messages, acks and bearer tokens that jose verifies (%s)',
    async (alg) => {
      const signer = await AgencySigner.generate('KH.CNP', alg);
      const key = await importJWK(signer.publicJwk, alg);
      const jws = await signer.signMessage({ id: 'm-1', source: 'KH.CNP' });
      expect(decodeProtectedHeader(jws)).toEqual({ alg, kid: signer.kid, typ: 'rdx+jws' });
      expect(JSON.parse(Buffer.from((await compactVerify(jws, key)).payload).toString())).toEqual({
        id: 'm-1',
        source: 'KH.CNP',
      });
      const ack = await signer.signAck('m-1', 'accepted', { reason: 'in hand' });
      expect(decodeProtectedHeader(ack).typ).toBe('rdx-ack+jws');
      const { payload } = await jwtVerify(await signer.bearer('rdx-gateway'), key, {
        audience: 'rdx-gateway',
      });
      expect(payload).toMatchObject({ iss: 'KH.CNP', sub: 'KH.CNP', jti: expect.any(String) });
      expect(payload.exp! - payload.iat!).toBe(120);
    },
  );

  it('signs through a callback, for a key this process never holds (an HSM)', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const publicJwk = { ...(publicKey.export({ format: 'jwk' }) as JWK), kid: 'hsm-1' };
    const seen: string[] = [];
    const signer = AgencySigner.fromCallback('KH.CNP', {
      alg: 'ES256',
      kid: 'hsm-1',
      publicJwk,
      sign: async (input) => {
        seen.push(Buffer.from(input).toString('ascii'));
        return sign('sha256', input, {
          key: createPrivateKey(privateKey.export({ format: 'pem', type: 'pkcs8' })),
          dsaEncoding: 'ieee-p1363',
        });
      },
    });
    const jws = await signer.signMessage({ id: 'm-2' });
    expect(seen).toEqual([jws.split('.').slice(0, 2).join('.')]);
    await expect(compactVerify(jws, await importJWK(publicJwk, 'ES256'))).resolves.toBeDefined();
  });

  it('keeps a private JWK’s kid and never shows its private half', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const jwk = { ...(privateKey.export({ format: 'jwk' }) as JWK), kid: 'mine' };
    const signer = await AgencySigner.fromPrivateJwk('ID.KEMLU', jwk);
    expect(signer).toMatchObject({ alg: 'EdDSA', kid: 'mine' });
    expect(signer.publicJwk).not.toHaveProperty('d');
  });
});
