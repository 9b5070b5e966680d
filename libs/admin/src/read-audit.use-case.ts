import { Inject, Injectable } from '@nestjs/common';
import { AuditItem, AuditRepository, Database } from '@rdx/persistence';
import { AdminPrincipal, requireRole } from './admin-authenticator';

/** Which items to read: exact values of their members; none given, every item. */
export interface AuditSearch {
  actor?: string;
  action?: string;
  subject?: string;
}

/**
 * Items a filtered read looks at, at most, per page: a search for a rare actor then costs one
 * bounded range of the primary key per page, not a walk of the whole record, and needs no index
 * that every act would pay for.
 */
export const AUDIT_SEARCH_WINDOW = 10_000;

/**
 * The audit record, a page at a time; `next` is the seq to pass as `after`. With a search, a page
 * holds the matching items among the next AUDIT_SEARCH_WINDOW, and `next` is the last seq looked
 * at: a page may hold none while more follow, and the record is read when `next` equals `after`.
 */
@Injectable()
export class ReadAudit {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(AuditRepository) private readonly audit: AuditRepository,
  ) {}

  async execute(
    principal: AdminPrincipal,
    after: number,
    limit: number,
    search: AuditSearch = {},
  ): Promise<{ items: AuditItem[]; next: number }> {
    requireRole(principal, ['admin', 'auditor']);
    // Entries of acts committed before this read are linked into the chain first.
    await this.audit.integrateAll(this.db);
    const searching = Object.values(search).some((value) => value !== undefined);
    if (!searching) {
      const items = await this.audit.page(this.db, after, limit);
      return { items, next: items.length > 0 ? items[items.length - 1].seq : after };
    }
    const upTo = Math.min(after + AUDIT_SEARCH_WINDOW, await this.audit.length(this.db));
    const items = await this.audit.page(this.db, after, limit, { ...search, upTo });
    const next = items.length === limit ? items[items.length - 1].seq : Math.max(after, upTo);
    return { items, next };
  }
}
