import { createHash } from 'node:crypto';
import { canonicalize } from '@rdx/crypto';

/** One record of the gateway's audit log, as `GET /v1/admin/audit` returns it. */
export interface AuditItem {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  prevHash: string;
  hash: string;
  [member: string]: unknown;
}

export interface ChainVerdict {
  ok: boolean;
  /** Why the chain does not hold, when it does not. */
  problem?: string;
}

const GENESIS = '0'.repeat(64);

/**
 * Recomputes the hash chain of PROTOCOL.md section 7 from scratch: each item's hash is the
 * lower-case hex SHA-256 of the RFC 8785 form of the item without `hash`, and each `prevHash`
 * is the hash before it (64 zeros for the first). Any edit or removal breaks one of them.
 */
export function verifyAuditChain(items: readonly AuditItem[]): ChainVerdict {
  let previous = GENESIS;
  for (const [index, item] of items.entries()) {
    if (item.seq !== index + 1)
      return { ok: false, problem: `item ${index + 1} has seq ${item.seq}: one is missing` };
    if (item.prevHash !== previous)
      return { ok: false, problem: `seq ${item.seq}: prevHash does not link to the item before` };
    const { hash, ...rest } = item;
    const recomputed = createHash('sha256').update(canonicalize(rest), 'utf8').digest('hex');
    if (recomputed !== hash)
      return { ok: false, problem: `seq ${item.seq}: hash ${hash} but the content hashes to ${recomputed}` };
    previous = hash;
  }
  return { ok: true };
}
