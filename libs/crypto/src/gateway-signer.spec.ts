import { mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compactVerify, decodeProtectedHeader, exportJWK, generateKeyPair, importJWK } from 'jose';
import { libsodiumEd25519 } from './ed25519';
import { GatewaySigner } from './gateway-signer';

describe('GatewaySigner', () => {
  it('makes a key once, keeps it private on disk, and signs verifiable receipts', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'rdx-gw-')), 'key.json');
    const signer = await GatewaySigner.loadOrCreate(file);
    const again = await GatewaySigner.loadOrCreate(file);
    expect(again.kid).toBe(signer.kid);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(signer.publicJwk).not.toHaveProperty('d');

    const receipt = await signer.sign({ messageId: 'm-1' }, 'rdx-receipt+jws');
    expect(decodeProtectedHeader(receipt)).toEqual({ alg: 'EdDSA', kid: signer.kid, typ: 'rdx-receipt+jws' });
    const { payload } = await compactVerify(receipt, await importJWK(signer.publicJwk, 'EdDSA'));
    expect(JSON.parse(Buffer.from(payload).toString())).toEqual({ messageId: 'm-1' });
  });

  it.each([
    ['libsodium', libsodiumEd25519()],
    ["Node's own Ed25519", null],
  ])('signs with %s what jose verifies', async (_backend, ed25519) => {
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const signer = await GatewaySigner.fromPrivateJwk(
      { ...(await exportJWK(privateKey)), kid: 'gw-1' },
      ed25519,
    );
    const receipt = await signer.sign({ messageId: 'm-2', recipients: ['ID.KEMLU'] }, 'rdx-receipt+jws');
    const { payload } = await compactVerify(receipt, await importJWK(signer.publicJwk, 'EdDSA'));
    expect(JSON.parse(Buffer.from(payload).toString())).toEqual({
      messageId: 'm-2',
      recipients: ['ID.KEMLU'],
    });
  });

  it('refuses a key whose public half is not that of its private half', async () => {
    const one = await exportJWK(
      (await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true })).privateKey,
    );
    const other = await exportJWK(
      (await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true })).privateKey,
    );
    await expect(GatewaySigner.fromPrivateJwk({ ...one, x: other.x })).rejects.toThrow();
  });
});
