import { Inject, Injectable } from '@nestjs/common';
import { AuditItem, AuditRepository, Database } from '@rdx/persistence';
import { AdminPrincipal, requireRole } from './admin-authenticator';

/** The audit record, a page at a time; `next` is the seq to pass as `after`. */
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
  ): Promise<{ items: AuditItem[]; next: number }> {
    requireRole(principal, ['admin', 'auditor']);
    // Entries of acts committed before this read are linked into the chain first.
    await this.audit.integrateAll(this.db);
    const items = await this.audit.page(this.db, after, limit);
    return { items, next: items.length > 0 ? items[items.length - 1].seq : after };
  }
}
