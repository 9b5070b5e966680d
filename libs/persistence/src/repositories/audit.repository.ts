import { auditItemHashOfCanonical, canonicalize } from '@rdx/crypto';
import { arrayParam } from '../array-param';
import { Database } from '../database';
import { Executor, PREPARED } from '../executor';
import { chunks, Column, forUpdate, insertRows, writeChunks } from '../sql-builders';
import { Write, writeTogether } from '../writes';
import { AuditItem } from '../records';

/**
 * What one pass of the chainer linked: how many entries, from how many queued rows, and the
 * highest queue id among them.
 */
export interface Linked {
  linked: number;
  rows: number;
  lastId: number;
}

/** One act to record; the chainer adds seq, prevHash and hash. */
export interface AuditEntry {
  at: string;
  actor: string;
  action: string;
  subject: string;
  details?: Record<string, unknown>;
}

/**
 * Which items a page holds: those whose members equal the ones given, with seq at most `upTo`.
 * seq is dense (1, 2, 3, …), so `upTo` bounds what a filtered read looks at by the primary key.
 */
export interface AuditFilter {
  actor?: string;
  action?: string;
  subject?: string;
  upTo?: number;
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

const QUEUED_COLUMNS: Column[] = [['entries', 'text']];
/** Entries queued per row at most: an act's entries are a row, or a few for a very large act. */
const ENTRIES_PER_ROW = 500;
/** An entry as a queued row's `entries` holds it, its details in RFC 8785 form. */
type QueuedEntry = {
  at: string;
  actor: string;
  action: string;
  subject: string;
  details: string | null;
};
/** A queued row, as the chainer takes it. */
type Queued = { id: number | string; entries: string };
const LOG_COLUMNS: Column[] = [
  ['seq', 'bigint'],
  ['at', 'text'],
  ['actor', 'text'],
  ['action', 'text'],
  ['subject', 'text'],
  ['details', 'text'],
  ['prev_hash', 'text'],
  ['hash', 'text'],
];

/** An entry as `audit_pending` queues it. */
const queued = (e: AuditEntry): QueuedEntry => ({
  at: e.at,
  actor: e.actor,
  action: e.action,
  subject: e.subject,
  details: e.details === undefined ? null : canonicalize(e.details),
});

/**
 * The append-only, hash-chained audit record. An act's entries are written in the act's own
 * transaction, to a queue that takes no lock: acts never wait on each other for the chain. The
 * chainer (`integrate`) then links queued entries into the chain, one chainer at a time, in the
 * order it finds them. Readers integrate before they read, so they see every committed act.
 */
export class AuditRepository {
  async append(tx: Executor, entries: readonly AuditEntry[]): Promise<void> {
    await writeTogether(tx, this.appendWrites(tx, entries));
  }

  /**
   * `append`'s statements, to run with others of the act (`writeTogether`): the act's entries
   * as one queued row (a JSON array, details already canonical so that the chainer need not
   * parse them to hash them).
   */
  appendWrites(tx: Executor, entries: readonly AuditEntry[]): Write[] {
    if (entries.length === 0) return [];
    const rows = chunks(entries, ENTRIES_PER_ROW).map((chunk) => [JSON.stringify(chunk.map(queued))]);
    return writeChunks(tx, rows, 500).map((chunk) => ({
      ...insertRows(tx, 'audit_pending', QUEUED_COLUMNS, chunk),
      prepare: true,
    }));
  }

  /**
   * `appendWrites` on PostgreSQL, of only the entries for which `condition` holds: an SQL
   * condition on `subject`, such as `subject IN (SELECT id FROM stored)` (a write before it in
   * the same `writeTogether`). The queued rows hold the same text as `appendWrites` would.
   */
  appendWritesWhere(entries: readonly AuditEntry[], condition: string): Write[] {
    if (entries.length === 0) return [];
    return [
      {
        // The entries' JSON joined as JSON.stringify joins an array's, in their order.
        sql: `INSERT INTO audit_pending (entries)
          SELECT '[' || string_agg(e.entry, ',' ORDER BY e.n) || ']'
          FROM unnest(?::text[], ?::text[]) WITH ORDINALITY AS e(subject, entry, n)
          WHERE ${condition} GROUP BY (e.n - 1) / ${ENTRIES_PER_ROW}`,
        params: [
          arrayParam(entries.map((e) => e.subject)),
          arrayParam(entries.map((e) => JSON.stringify(queued(e)))),
        ],
        prepare: true,
      },
    ];
  }

  /**
   * Links the entries of up to `limit` queued rows into the chain, oldest first; returns how
   * many. Another chainer at work (PostgreSQL) makes this one return 0 at once rather than wait.
   */
  async integrate(db: Database, limit = 100): Promise<number> {
    return (await this.link(db, { after: 0, limit }))?.linked ?? 0;
  }

  /**
   * Links the entries of up to `limit` queued rows whose queue id is above `after`, in queue
   * order and each row's entries in theirs: how many, and the highest queue id among them.
   * Undefined when another chainer holds the chain's head (PostgreSQL): this one did not look,
   * rather than wait.
   *
   * The queue is read from `after` because its index keeps the entries it deleted until the
   * table is vacuumed: a read from the start walks all of them again, more at every turn.
   */
  link(db: Database, window: { after: number; limit: number }): Promise<Linked | undefined> {
    return db.transaction((tx) => this.linkWithin(tx, window));
  }

  /** `link`, in a transaction the caller holds. */
  async linkWithin(
    tx: Executor,
    { after, limit }: { after: number; limit: number },
  ): Promise<Linked | undefined> {
    const [head] = await tx.query<{ seq: number | string; hash: string }>(
      `SELECT seq, hash FROM audit_head WHERE id = 1${forUpdate(tx, true)}`,
      [],
      PREPARED,
    );
    if (head === undefined) return undefined;
    // Taken off the queue as it is read, in one statement (rolled back with the rest if the
    // linking fails). PostgreSQL deletes by the rows' own addresses rather than probing the index
    // again for each id.
    const taken = await tx.query<Queued>(
      tx.dialect === 'postgres'
        ? `DELETE FROM audit_pending WHERE ctid = ANY(ARRAY(
               SELECT ctid FROM audit_pending WHERE id > ? ORDER BY id LIMIT ?)) RETURNING id, entries`
        : `DELETE FROM audit_pending WHERE id IN (
               SELECT id FROM audit_pending WHERE id > ? ORDER BY id LIMIT ?) RETURNING id, entries`,
      [after, limit],
      PREPARED,
    );
    // RETURNING gives no order.
    const queued = taken.sort((a, b) => Number(a.id) - Number(b.id));
    if (queued.length === 0) return { linked: 0, rows: 0, lastId: after };
    let seq = Number(head.seq);
    let prevHash = head.hash;
    const items = queued.flatMap((row) =>
      (JSON.parse(row.entries) as QueuedEntry[]).map((entry) => {
        const unhashed = {
          seq: ++seq,
          at: entry.at,
          actor: entry.actor,
          action: entry.action,
          subject: entry.subject,
          details: entry.details,
          prevHash,
        };
        const item = { ...unhashed, hash: auditItemHashOfCanonical(unhashed) };
        prevHash = item.hash;
        return item;
      }),
    );
    for (const chunk of writeChunks(tx, items, 100)) {
      const { sql, params } = insertRows(
        tx,
        'audit_log',
        LOG_COLUMNS,
        chunk.map((i) => [i.seq, i.at, i.actor, i.action, i.subject, i.details, i.prevHash, i.hash]),
      );
      await tx.execute(sql, params, PREPARED);
    }
    await tx.execute('UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1', [seq, prevHash], PREPARED);
    return { linked: items.length, rows: queued.length, lastId: Number(queued.at(-1)!.id) };
  }

  /** Links every entry queued so far into the chain (a reader calls this before reading). */
  async integrateAll(db: Database): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const linked = await this.integrate(db);
      if (linked > 0) continue;
      const [row] = await db.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM audit_pending');
      if (Number(row.n) === 0) return;
      // Another chainer holds the head: it is linking them; wait for it.
      if (attempt > 200) throw new Error('audit entries stay queued: the chain head stays locked');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async page(ex: Executor, afterSeq: number, limit: number, filter: AuditFilter = {}): Promise<AuditItem[]> {
    const conditions = (['actor', 'action', 'subject'] as const).filter(
      (member) => filter[member] !== undefined,
    );
    const window = filter.upTo === undefined ? '' : ' AND seq <= ?';
    const rows = await ex.query<Row>(
      `SELECT * FROM audit_log WHERE seq > ?${window}${conditions.map((c) => ` AND ${c} = ?`).join('')} ORDER BY seq LIMIT ?`,
      [
        afterSeq,
        ...(filter.upTo === undefined ? [] : [filter.upTo]),
        ...conditions.map((c) => filter[c]),
        limit,
      ],
    );
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
