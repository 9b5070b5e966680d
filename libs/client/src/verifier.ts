import { createHash } from 'node:crypto';
import { compactVerify, decodeProtectedHeader, importJWK, JWK } from 'jose';
import { RdxVerificationFailed } from './errors';
import type { KeySource } from './key-directory';
import type { InboxItemWire, Receipt } from './views';

/** A message whose origin signature checked out: the sender's envelope, and the key that signed it. */
export interface VerifiedMessage {
  envelope: Record<string, unknown> & { id: string; source: string; type: string; data: unknown };
  /** The participant whose key signed it: the sender, or the gateway for a redacted copy. */
  signedBy: string;
  kid: string;
  /** A redacted copy: the gateway's signature, and the paths it removed. */
  redacted?: { removed: string[]; originalDigest: string };
}

/** What each registered key type verifies: P-256 keys ES256, Ed25519 keys EdDSA (jose also names it Ed25519). */
const ALGORITHMS: Record<string, string[]> = { EC: ['ES256'], OKP: ['EdDSA', 'Ed25519'] };

const decodeJson = (bytes: Uint8Array): Record<string, unknown> => {
  const value: unknown = JSON.parse(Buffer.from(bytes).toString('utf8'));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RdxVerificationFailed('the signed payload is not a JSON object');
  }
  return value as Record<string, unknown>;
};

/** `sha-256=` and the base64url SHA-256 of the exact JWS text, as receipts carry it. */
export function jwsDigest(jws: string): string {
  return `sha-256=${createHash('sha256').update(jws, 'utf8').digest('base64url')}`;
}

/**
 * Checks signatures end to end with keys from a {@link KeySource}: a message against its
 * sender's registered keys, a receipt or a redacted copy against the gateway's.
 */
export class OriginVerifier {
  constructor(
    private readonly keys: KeySource,
    private readonly gatewayId: string,
  ) {}

  /** Verifies a message's origin: signed by a key its `source` owns, with `typ: rdx+jws`. */
  async message(jws: string): Promise<VerifiedMessage> {
    const { kid } = header(jws, 'rdx+jws');
    const claimed = decodeJson(Buffer.from(jws.split('.')[1] ?? '', 'base64url'));
    if (typeof claimed.source !== 'string') throw new RdxVerificationFailed('the message names no source');
    // The gateway originates messages too (deadline notices): they verify against its own JWKS.
    const key =
      claimed.source === this.gatewayId
        ? await this.keys.gatewayKey(kid)
        : await this.keys.participantKey(claimed.source, kid);
    const payload = await verifyWith(jws, key);
    return { envelope: payload as VerifiedMessage['envelope'], signedBy: claimed.source, kid };
  }

  /** Verifies a receipt: the gateway's signature, its `iss`, and that its digest is of `jws`. */
  async receipt(receipt: string, jws?: string): Promise<Receipt> {
    const { kid } = header(receipt, 'rdx-receipt+jws');
    const payload = (await verifyWith(receipt, await this.keys.gatewayKey(kid))) as unknown as Receipt;
    if (payload.iss !== this.gatewayId) {
      throw new RdxVerificationFailed(
        `the receipt is issued by ${JSON.stringify(payload.iss)}, not ${this.gatewayId}`,
      );
    }
    if (jws !== undefined && payload.digest !== jwsDigest(jws)) {
      throw new RdxVerificationFailed('the receipt is for other bytes than the message sent');
    }
    return payload;
  }

  /** Verifies a redacted copy the gateway made for `recipient`, and returns the envelope it vouches for. */
  async redactedCopy(jws: string, recipient: string): Promise<VerifiedMessage> {
    const { kid } = header(jws, 'rdx-redacted+jws');
    const payload = await verifyWith(jws, await this.keys.gatewayKey(kid));
    if (payload.iss !== this.gatewayId)
      throw new RdxVerificationFailed('the redacted copy is not the gateway’s');
    if (payload.recipient !== recipient) {
      throw new RdxVerificationFailed(`the redacted copy was made for ${JSON.stringify(payload.recipient)}`);
    }
    const original = payload.original as { digest?: string } | undefined;
    return {
      envelope: payload.event as VerifiedMessage['envelope'],
      signedBy: this.gatewayId,
      kid,
      redacted: { removed: (payload.removed as string[]) ?? [], originalDigest: original?.digest ?? '' },
    };
  }

  /** Verifies an inbox item (by pull or webhook) for `recipient`, and that it is what the item says. */
  async inboxItem(item: InboxItemWire, recipient: string): Promise<VerifiedMessage> {
    if (item.message === null) throw new RdxVerificationFailed(`the message was purged at ${item.purgedAt}`);
    const verified = item.redacted
      ? await this.redactedCopy(item.message, recipient)
      : await this.message(item.message);
    const { id, source, type } = verified.envelope;
    if (id !== item.messageId || source !== item.source || type !== item.type) {
      throw new RdxVerificationFailed('the signed envelope does not match the inbox item that carries it');
    }
    return verified;
  }
}

function header(jws: string, typ: string): { kid: string; alg: string } {
  let decoded: Record<string, unknown>;
  try {
    decoded = decodeProtectedHeader(jws) as Record<string, unknown>;
  } catch {
    throw new RdxVerificationFailed('not a compact JWS');
  }
  if (decoded.typ !== typ) {
    throw new RdxVerificationFailed(`typ is ${JSON.stringify(decoded.typ ?? null)}, not "${typ}"`);
  }
  if (decoded.crit !== undefined)
    throw new RdxVerificationFailed('a crit header: version 1 defines no extension');
  if (typeof decoded.kid !== 'string') throw new RdxVerificationFailed('the JWS names no kid');
  return { kid: decoded.kid, alg: String(decoded.alg) };
}

async function verifyWith(jws: string, jwk: JWK): Promise<Record<string, unknown>> {
  const algorithms = ALGORITHMS[jwk.kty ?? ''];
  if (algorithms === undefined)
    throw new RdxVerificationFailed(`a registered key of type ${jwk.kty} cannot verify`);
  try {
    const { payload } = await compactVerify(jws, await importJWK(jwk, algorithms[0]), { algorithms });
    return decodeJson(payload);
  } catch (error) {
    if (error instanceof RdxVerificationFailed) throw error;
    throw new RdxVerificationFailed(
      `the signature does not verify with key ${jwk.kid}: ${(error as Error).message}`,
    );
  }
}
