import { sha256Hex } from './digest';
import { canonicalize } from './jcs';

/** One item of the audit record (PROTOCOL.md section 7), as `GET /v1/admin/audit` returns it. */
export interface AuditChainItem {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  prevHash: string;
  hash: string;
  [member: string]: unknown;
}

/** The `prevHash` of the first item. */
export const AUDIT_GENESIS = '0'.repeat(64);

/** The hash of an audit item: lower-case hex SHA-256 of the RFC 8785 form of the item without `hash`. */
export function auditItemHash(item: Omit<AuditChainItem, 'hash'>): string {
  return sha256Hex(canonicalize(item));
}

/** The members of an audit item as the chainer has them: `details` already in RFC 8785 form. */
export interface CanonicalAuditFields {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  /** `canonicalize(details)`, or null for an item without details. */
  details: string | null;
  prevHash: string;
}

/**
 * `auditItemHash` of an item whose details are already canonical text, without parsing them
 * again: the item's RFC 8785 form is its members in code-unit order, and `details` goes in as
 * it is.
 */
export function auditItemHashOfCanonical(item: CanonicalAuditFields): string {
  const details = item.details === null ? '' : `,"details":${item.details}`;
  return sha256Hex(
    `{"action":${JSON.stringify(item.action)},"actor":${JSON.stringify(item.actor)},"at":${JSON.stringify(item.at)}${details},"prevHash":${JSON.stringify(item.prevHash)},"seq":${canonicalize(item.seq)},"subject":${JSON.stringify(item.subject)}}`,
  );
}

export interface ChainVerdict {
  ok: boolean;
  /** Why the chain does not hold, when it does not. */
  problem?: string;
  /** The seq of the first item at fault. */
  brokenAt?: number;
}

/**
 * Checks a run of audit items from scratch: seq grows by one, each prevHash is the hash before
 * it, each hash is recomputed. Any edit or removal breaks one of them. `after` is the last item
 * before the run (none: the run starts the record).
 * @example verifyAuditChain(page.items).ok
 */
export function verifyAuditChain(
  items: readonly AuditChainItem[],
  after: { seq: number; hash: string } = { seq: 0, hash: AUDIT_GENESIS },
): ChainVerdict {
  let previous = after;
  for (const item of items) {
    if (item.seq !== previous.seq + 1) {
      return {
        ok: false,
        problem: `seq ${item.seq} follows seq ${previous.seq}: an item is missing`,
        brokenAt: item.seq,
      };
    }
    if (item.prevHash !== previous.hash) {
      return {
        ok: false,
        problem: `seq ${item.seq}: prevHash does not link to the item before`,
        brokenAt: item.seq,
      };
    }
    const { hash, ...rest } = item;
    const recomputed = auditItemHash(rest);
    if (recomputed !== hash) {
      return {
        ok: false,
        problem: `seq ${item.seq}: hash ${hash} but the content hashes to ${recomputed}`,
        brokenAt: item.seq,
      };
    }
    previous = { seq: item.seq, hash };
  }
  return { ok: true };
}
