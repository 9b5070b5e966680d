import type { AdminApi, AuditItem } from '../api/admin-api';
// The gateway's own RFC 8785 canonicalization (pure TypeScript, no Node API): the browser hashes
// exactly the bytes the gateway hashed.
import { canonicalize } from '../../../../libs/crypto/src/jcs';

/** The `prevHash` of the first item. */
const GENESIS = '0'.repeat(64);
/** Items read per request while verifying: the API's largest page. */
const PAGE = 500;

/** Why the chain does not hold at an item. */
export type Break =
  | { kind: 'missing'; seq: number; previous: number }
  | { kind: 'link'; seq: number; prevHash: string; expected: string }
  | { kind: 'hash'; seq: number; hash: string; recomputed: string };

export type Verdict = { holds: true; verified: number } | { holds: false; verified: number; broken: Break };

/** Lower-case hex SHA-256 of the UTF-8 bytes of `text`, by Web Crypto. */
async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * Checks one item against the one before it, as the gateway's verifyAuditChain (libs/crypto) does:
 * seq follows by one, prevHash is the hash before, and the hash is the SHA-256 of the RFC 8785
 * form of the item without `hash`.
 */
export async function checkItem(
  item: AuditItem,
  previous: { seq: number; hash: string },
): Promise<Break | undefined> {
  if (item.seq !== previous.seq + 1) return { kind: 'missing', seq: item.seq, previous: previous.seq };
  if (item.prevHash !== previous.hash) {
    return { kind: 'link', seq: item.seq, prevHash: item.prevHash, expected: previous.hash };
  }
  const { hash, ...rest } = item;
  const recomputed = await sha256Hex(canonicalize(rest));
  return recomputed === hash ? undefined : { kind: 'hash', seq: item.seq, hash, recomputed };
}

/**
 * Reads the whole audit record, page by page, and verifies every link and hash in this browser;
 * `onProgress` hears how many items hold so far. Stops at the first item at fault.
 */
export async function verifyWholeChain(
  api: AdminApi,
  onProgress: (verified: number) => void,
): Promise<Verdict> {
  let previous = { seq: 0, hash: GENESIS };
  let verified = 0;
  for (;;) {
    const page = await api.audit(previous.seq, PAGE);
    if (page.items.length === 0) return { holds: true, verified };
    for (const item of page.items) {
      const broken = await checkItem(item, previous);
      if (broken !== undefined) return { holds: false, verified, broken };
      previous = { seq: item.seq, hash: item.hash };
      verified++;
    }
    onProgress(verified);
  }
}
