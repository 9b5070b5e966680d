import { auditItemHash } from '@rdx/crypto';
import { Executor, forUpdate } from '../database';
import { AuditItem } from '../records';

/** One act to record; the chain adds seq, prevHash and hash. */
export interface AuditEntry {
  at: string;
  actor: string;
  action: string;
  subject: string;
  details?: Record<string, unknown>;
}

type Row = {
  seq: number | string;
  at: string;
  actor: string;
  action: string;
  subject: string;
  details: string | null;
  prev_hash: string;
  hash: string;
};

/**
 * The append-only, hash-chained audit record. Appending takes the chain head's lock, so
 * it belongs at the end of a transaction: the lock is then held for the shortest time.
 */
export class AuditRepository {
  async append(tx: Executor, entries: readonly AuditEntry[]): Promise<AuditItem[]> {
    if (entries.length === 0) return [];
    const [head] = await tx.query<{ seq: number | string; hash: string }>(
      `SELECT seq, hash FROM audit_head WHERE id = 1${forUpdate(tx)}`,
    );
    let seq = Number(head.seq);
    let prevHash = head.hash;
    const items = entries.map((entry) => {
      const unhashed: Omit<AuditItem, 'hash'> = {
        seq: ++seq,
        at: entry.at,
        actor: entry.actor,
        action: entry.action,
        subject: entry.subject,
        ...(entry.details === undefined ? {} : { details: entry.details }),
        prevHash,
      };
      const item = { ...unhashed, hash: auditItemHash(unhashed) };
      prevHash = item.hash;
      return item;
    });
    for (let start = 0; start < items.length; start += 100) {
      const chunk = items.slice(start, start + 100);
      await tx.execute(
        `INSERT INTO audit_log (seq, at, actor, action, subject, details, prev_hash, hash) VALUES ${chunk
          .map(() => '(?, ?, ?, ?, ?, ?, ?, ?)')
          .join(', ')}`,
        chunk.flatMap((i) => [
          i.seq,
          i.at,
          i.actor,
          i.action,
          i.subject,
          i.details === undefined ? null : JSON.stringify(i.details),
          i.prevHash,
          i.hash,
        ]),
      );
    }
    await tx.execute('UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1', [seq, prevHash]);
    return items;
  }

  async page(ex: Executor, afterSeq: number, limit: number): Promise<AuditItem[]> {
    const rows = await ex.query<Row>('SELECT * FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?', [
      afterSeq,
      limit,
    ]);
    return rows.map((row) => ({
      seq: Number(row.seq),
      at: row.at,
      actor: row.actor,
      action: row.action,
      subject: row.subject,
      ...(row.details === null ? {} : { details: JSON.parse(row.details) as Record<string, unknown> }),
      prevHash: row.prev_hash,
      hash: row.hash,
    }));
  }

  /** How many items are recorded (also the last seq). */
  async length(ex: Executor): Promise<number> {
    const [head] = await ex.query<{ seq: number | string }>('SELECT seq FROM audit_head WHERE id = 1');
    return Number(head.seq);
  }
}
