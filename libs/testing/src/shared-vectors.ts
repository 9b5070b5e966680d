import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { JWK } from 'jose';

/** The folder of JWS test vectors made by an independent JOSE implementation (../shared/vectors). */
export const VECTORS_DIR = resolve(__dirname, '../../../../shared/vectors');

export interface JwsVector {
  name: string;
  jws: string;
  expect: 'valid' | 'invalid' | 'malformed' | 'valid-ignore-jku';
  why: string;
  sha256: string;
}

const readJson = <T>(file: string): T => JSON.parse(readFileSync(resolve(VECTORS_DIR, file), 'utf8')) as T;

/** The vectors of jws-vectors.json. */
export function jwsVectors(): JwsVector[] {
  return readJson<{ vectors: JwsVector[] }>('jws-vectors.json').vectors;
}

/** The public keys of KH.TEST (ES256) and ID.TEST (EdDSA). */
export function vectorPublicKeys(): (JWK & { kid: string })[] {
  return readJson<{ keys: (JWK & { kid: string })[] }>('jwks.json').keys;
}

/** Their private halves, to sign fresh test messages with the same keys. */
export function vectorPrivateKeys(): (JWK & { kid: string })[] {
  return readJson<{ keys: (JWK & { kid: string })[] }>('test-private-jwks.json').keys;
}
