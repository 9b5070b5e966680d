import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { RdxError } from '@rdx/errors';
import { Clock } from '@rdx/exchange';
import { AdminRole, AuditRepository, Database, TokensRepository } from '@rdx/persistence';
import { ASEAN_COUNTRIES } from '@rdx/schema';
import {
  AdminPrincipal,
  adminActor,
  hashAdminToken,
  newAdminToken,
  requireRole,
} from './admin-authenticator';

const DEFAULT_LIFETIME_DAYS = 90;

export interface IssuedToken {
  token: string;
  role: AdminRole;
  country?: string;
  expiresAt: string;
}

/** Only an admin issues tokens; the token is shown once, and kept only as its hash. */
@Injectable()
export class IssueAdminToken {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(TokensRepository) private readonly tokens: TokensRepository,
    @Inject(AuditRepository) private readonly audit: AuditRepository,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(
    principal: AdminPrincipal,
    input: { role: AdminRole; country?: string; expiresAt?: string },
  ): Promise<IssuedToken> {
    requireRole(principal, ['admin']);
    const now = this.clock.now();
    const errors = [];
    if (input.role === 'country-admin' && input.country === undefined) {
      errors.push({ path: 'country', message: 'a country-admin token needs its country' });
    }
    if (input.role !== 'country-admin' && input.country !== undefined) {
      errors.push({ path: 'country', message: 'only a country-admin token names a country' });
    }
    if (input.country !== undefined && !(ASEAN_COUNTRIES as readonly string[]).includes(input.country)) {
      errors.push({ path: 'country', message: `must be one of ${ASEAN_COUNTRIES.join(' ')}` });
    }
    const expiresAt =
      input.expiresAt === undefined
        ? new Date(now.getTime() + DEFAULT_LIFETIME_DAYS * 86_400_000).toISOString()
        : new Date(input.expiresAt).toISOString();
    if (expiresAt <= now.toISOString()) errors.push({ path: 'expiresAt', message: 'must be in the future' });
    if (errors.length > 0) throw new RdxError('invalid-fields', 'the token request is not valid', { errors });

    const token = newAdminToken();
    const id = randomUUID();
    const at = now.toISOString();
    await this.db.transaction(async (tx) => {
      await this.tokens.insertAdminToken(
        tx,
        {
          id,
          role: input.role,
          country: input.country ?? null,
          expiresAt,
          createdAt: at,
          createdBy: adminActor(principal),
        },
        hashAdminToken(token),
      );
      await this.audit.append(tx, [
        {
          at,
          actor: adminActor(principal),
          action: 'admin-token.issued',
          subject: `admin-token:${id}`,
          details: {
            role: input.role,
            ...(input.country === undefined ? {} : { country: input.country }),
            expiresAt,
          },
        },
      ]);
    });
    return {
      token,
      role: input.role,
      ...(input.country === undefined ? {} : { country: input.country }),
      expiresAt,
    };
  }
}
