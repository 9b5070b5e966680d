import { mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compactVerify, decodeProtectedHeader, importJWK } from 'jose';
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
});
