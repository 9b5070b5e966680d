import { createPrivateKey, JsonWebKey, KeyObject, sign as signBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, JWK } from 'jose';
import { Ed25519, libsodiumEd25519 } from './ed25519';

/** The gateway's own signing key, for receipts. Its private half stays in one file, mode 0600. */
export class GatewaySigner {
  private constructor(
    private readonly privateKey: KeyObject,
    readonly publicJwk: JWK & { kid: string },
    /** An Ed25519 key's libsodium signer, where libsodium loads. */
    private readonly sodium?: { ed25519: Ed25519; secretKey: Uint8Array },
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

  /**
   * Builds a signer from a private EdDSA or ES256 JWK. An Ed25519 key signs with `ed25519`
   * (libsodium where it loads), at once; with null, or any other key, Node's own signs, on the
   * thread pool.
   */
  static async fromPrivateJwk(
    jwk: JWK,
    ed25519: Ed25519 | null = libsodiumEd25519(),
  ): Promise<GatewaySigner> {
    const alg = jwk.kty === 'EC' ? 'ES256' : 'EdDSA';
    if (typeof jwk.d !== 'string') throw new Error('the gateway signing key has no private part');
    const { d: _d, ...publicMembers } = jwk;
    const kid = jwk.kid ?? `gw-${await calculateJwkThumbprint(publicMembers, 'sha256')}`;
    // jose checks the JWK as it imports it (a d and x that do not match, say).
    await importJWK({ ...jwk, alg }, alg);
    const privateKey = createPrivateKey({ key: jwk as JsonWebKey, format: 'jwk' });
    const sodium =
      alg === 'EdDSA' && jwk.crv === 'Ed25519' && ed25519 !== null
        ? { ed25519, secretKey: ed25519.secretKey(Buffer.from(jwk.d, 'base64url')) }
        : undefined;
    return new GatewaySigner(privateKey, { ...publicMembers, kid, alg, use: 'sig' }, sodium);
  }

  /** Signs a JSON payload as a compact JWS with the given typ. */
  async sign(payload: object, typ: string): Promise<string> {
    const encode = (value: object) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
    const input = `${encode({ alg: this.publicJwk.alg, kid: this.kid, typ })}.${encode(payload)}`;
    // libsodium signs in 22 µs, less than a trip through the thread pool costs.
    const signature = this.sodium
      ? this.sodium.ed25519.sign(Buffer.from(input), this.sodium.secretKey)
      : await this.signOnThreadPool(input);
    return `${input}.${signature.toString('base64url')}`;
  }

  /** Node's own signature, on libuv's thread pool: the event loop goes on with other requests meanwhile. */
  private signOnThreadPool(input: string): Promise<Buffer> {
    return new Promise<Buffer>((resolve, reject) => {
      const done = (error: Error | null, bytes: Buffer) => (error === null ? resolve(bytes) : reject(error));
      if (this.publicJwk.alg === 'EdDSA') signBytes(null, Buffer.from(input), this.privateKey, done);
      else signBytes('sha256', Buffer.from(input), { key: this.privateKey, dsaEncoding: 'ieee-p1363' }, done);
    });
  }
}
