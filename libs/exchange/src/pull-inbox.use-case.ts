import { Inject, Injectable } from '@nestjs/common';
import { RdxError } from '@rdx/errors';
import { Database, InboxRepository, InboxRow } from '@rdx/persistence';

export interface InboxItem {
  seq: number;
  cursor: string;
  messageId: string;
  source: string;
  type: string;
  receivedAt: string;
  /**
   * The sender's JWS; or the gateway's redacted copy (`redacted: true`) where the sharing policy
   * strips fields for this recipient; or null once retention purged it (`purgedAt` says when).
   */
  message: string | null;
  redacted?: true;
  purgedAt?: string;
  /** Its case links (docs/protocol-notes.md, "Cases"): copied from the envelope, for a reader that does not open it. */
  inReplyTo?: string;
  supersedes?: string;
  expires?: string;
  respondBy?: string;
  /** The message was withdrawn or superseded (by `supersededBy`/`withdrawnBy`), or its `expires` has passed. */
  status?: 'withdrawn' | 'superseded' | 'expired';
  supersededBy?: string;
  withdrawnBy?: string;
}

/** An inbox row as the recipient sees it (at `now`): the same item by pull and by webhook. */
export function inboxItem(row: InboxRow, now = Date.now()): InboxItem {
  const l = row.links;
  const status: InboxItem['status'] =
    l === null
      ? undefined
      : l.withdrawnBy !== null
        ? 'withdrawn'
        : l.supersededBy !== null
          ? 'superseded'
          : l.expiresAt !== null && Date.parse(l.expiresAt) <= now
            ? 'expired'
            : undefined;
  const base = {
    seq: row.seq,
    cursor: encodeCursor(row.seq),
    messageId: row.messageId,
    source: row.source,
    type: row.type,
    receivedAt: row.receivedAt,
    ...(l === null
      ? {}
      : {
          ...(l.inReplyTo === null ? {} : { inReplyTo: l.inReplyTo }),
          ...(l.supersedes === null ? {} : { supersedes: l.supersedes }),
          ...(l.expiresAt === null ? {} : { expires: l.expiresAt }),
          ...(l.respondBy === null ? {} : { respondBy: l.respondBy }),
          ...(status === undefined ? {} : { status }),
          ...(l.supersededBy === null ? {} : { supersededBy: l.supersededBy }),
          ...(l.withdrawnBy === null ? {} : { withdrawnBy: l.withdrawnBy }),
        }),
  };
  if (row.purgedAt !== null) return { ...base, message: null, purgedAt: row.purgedAt };
  return row.redactedJws === null
    ? { ...base, message: row.jws }
    : { ...base, message: row.redactedJws, redacted: true };
}

export interface InboxPage {
  items: InboxItem[];
  next: string;
}

/** Cursors are opaque to clients; inside they carry the last seq seen. */
export function encodeCursor(seq: number): string {
  return Buffer.from(`v1:${seq}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): number {
  const match = /^v1:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!/^[A-Za-z0-9_-]+$/.test(cursor) || match === null) {
    throw new RdxError('bad-request', 'after is not a cursor this gateway gave out');
  }
  return Number(match[1]);
}

/** Pull delivery (PROTOCOL.md section 5): a recipient reads its inbox in `seq` order. */
@Injectable()
export class PullInbox {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(InboxRepository) private readonly inbox: InboxRepository,
  ) {}

  async execute(participantId: string, after: string | undefined, limit: number): Promise<InboxPage> {
    const afterSeq = after === undefined ? 0 : decodeCursor(after);
    const rows = await this.inbox.page(this.db, participantId, afterSeq, limit);
    const items = rows.map((row) => inboxItem(row));
    return { items, next: items.length > 0 ? items[items.length - 1].cursor : encodeCursor(afterSeq) };
  }
}
