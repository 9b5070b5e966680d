import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { calculateJwkThumbprint, CompactSign, exportJWK, generateKeyPair, importJWK, JWK } from 'jose';

type ImportedKey = Awaited<ReturnType<typeof importJWK>>;

/** The gateway's own signing key, for receipts. Its private half stays in one file, mode 0600. */
export class GatewaySigner {
  private constructor(
    private readonly privateKey: ImportedKey,
    readonly publicJwk: JWK & { kid: string },
  ) {}

  get kid(): string {
    return this.publicJwk.kid;
  }

  /** Loads the key from `file`, or makes a new Ed25519 key there when there is none. */
  static async loadOrCreate(file: string): Promise<GatewaySigner> {
    let jwk: JWK;
    try {
      jwk = JSON.parse(await readFile(file, 'utf8')) as JWK;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new Error(`cannot read the gateway signing key ${file}: ${(error as Error).message}`);
      }
      const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
      jwk = await exportJWK(privateKey);
      jwk.kid = `gw-${await calculateJwkThumbprint(jwk, 'sha256')}`;
      jwk.alg = 'EdDSA';
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, JSON.stringify(jwk), { mode: 0o600, flag: 'wx' }).catch(async (writeError) => {
        // Another process made it first: use theirs.
        if ((writeError as NodeJS.ErrnoException).code !== 'EEXIST') throw writeError;
        jwk = JSON.parse(await readFile(file, 'utf8')) as JWK;
      });
      await chmod(file, 0o600);
    }
    return GatewaySigner.fromPrivateJwk(jwk);
  }

  /** Builds a signer from a private EdDSA or ES256 JWK. */
  static async fromPrivateJwk(jwk: JWK): Promise<GatewaySigner> {
    const alg = jwk.kty === 'EC' ? 'ES256' : 'EdDSA';
    if (typeof jwk.d !== 'string') throw new Error('the gateway signing key has no private part');
    const { d: _d, ...publicMembers } = jwk;
    const kid = jwk.kid ?? `gw-${await calculateJwkThumbprint(publicMembers, 'sha256')}`;
    const privateKey = await importJWK({ ...jwk, alg }, alg);
    return new GatewaySigner(privateKey, { ...publicMembers, kid, alg, use: 'sig' });
  }

  /** Signs a JSON payload as a compact JWS with the given typ. */
  async sign(payload: object, typ: string): Promise<string> {
    return new CompactSign(Buffer.from(JSON.stringify(payload), 'utf8'))
      .setProtectedHeader({ alg: this.publicJwk.alg as string, kid: this.kid, typ })
      .sign(this.privateKey);
  }
}
