import { readFile } from 'node:fs/promises';
import { importJWK, JWK } from 'jose';

type ImportedKey = Awaited<ReturnType<typeof importJWK>>;

/** A participant's verification key, imported once at start (the "cached key"). */
export interface CachedKey {
  participantId: string;
  key: ImportedKey;
}

interface WorldFile {
  keys: { kid: string; participantId: string; jwk: JWK }[];
  routes: { type: string; source: string; recipients: string[] }[];
}

/** Reads the world file the harness wrote: the same participants and routes the gateway is given. */
export async function readWorld(path: string): Promise<WorldFile> {
  const world = JSON.parse(await readFile(path, 'utf8')) as Partial<WorldFile>;
  if (!Array.isArray(world.keys) || !Array.isArray(world.routes)) {
    throw new Error(`${path}: a world file needs "keys" and "routes" arrays`);
  }
  return { keys: world.keys, routes: world.routes };
}

/** Imports every key up front, so a request never pays for an import. */
export async function importKeys(world: WorldFile): Promise<Map<string, CachedKey>> {
  const keys = new Map<string, CachedKey>();
  for (const { kid, participantId, jwk } of world.keys) {
    keys.set(kid, { participantId, key: await importJWK(jwk, algorithmOf(jwk)) });
  }
  return keys;
}

/** The recipients of each (type, source) pair, looked up once per message by the worker. */
export function routeMap(world: WorldFile): Map<string, readonly string[]> {
  const routes = new Map<string, readonly string[]>();
  for (const { type, source, recipients } of world.routes) routes.set(routeKey(type, source), recipients);
  return routes;
}

export function routeKey(type: string, source: string): string {
  return `${type}\u0000${source}`;
}

function algorithmOf(jwk: JWK): string {
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return 'EdDSA';
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return 'ES256';
  throw new Error(`unsupported key: kty ${jwk.kty}, crv ${jwk.crv} (Ed25519 or P-256 only)`);
}
