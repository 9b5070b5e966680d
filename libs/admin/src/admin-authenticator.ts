import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { RDX_CONFIG, RdxConfig } from '@rdx/config';
import { RdxError } from '@rdx/errors';
import { Clock, RateLimiter } from '@rdx/exchange';
import { AdminRole, AuditRepository, Database, TokensRepository } from '@rdx/persistence';

/** An authenticated administrator: which token, which role, confined to which country. */
export interface AdminPrincipal {
  tokenId: string;
  role: AdminRole;
  country: string | null;
}

/** Tokens are 256 random bits; a plain SHA-256 is the right way to keep such a secret. */
export function hashAdminToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A new administrator token: a recognisable prefix and 256 random bits. */
export function newAdminToken(): string {
  return `rdx_at_${randomBytes(32).toString('base64url')}`;
}

/** The actor name of an administrator in the audit record. */
export const adminActor = (principal: AdminPrincipal) => `admin-token:${principal.tokenId}`;

/** Authenticates administrator bearer tokens (PROTOCOL.md section 2) and checks roles. */
@Injectable()
export class AdminAuthenticator {
  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(TokensRepository) private readonly tokens: TokensRepository,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(RateLimiter) private readonly rateLimiter: RateLimiter,
  ) {}

  async authenticate(token: string): Promise<AdminPrincipal> {
    const record = await this.tokens.findAdminTokenByHash(this.db, hashAdminToken(token));
    if (record === undefined) throw new RdxError('invalid-token', 'the administrator token is not valid');
    if (record.expiresAt !== null && record.expiresAt <= this.clock.now().toISOString()) {
      throw new RdxError('invalid-token', 'the administrator token has expired');
    }
    this.rateLimiter.take(`admin-token:${record.id}`);
    return { tokenId: record.id, role: record.role, country: record.country };
  }
}

/** Allows `roles`; a country administrator only for its own country. */
export function requireRole(principal: AdminPrincipal, roles: readonly AdminRole[], country?: string): void {
  if (!roles.includes(principal.role)) {
    throw new RdxError('forbidden', `the ${principal.role} role may not do this`);
  }
  if (principal.role === 'country-admin' && country !== undefined && principal.country !== country) {
    throw new RdxError(
      'forbidden',
      `a country administrator of ${principal.country} may not act for ${country}`,
    );
  }
}

/** Makes RDX_ADMIN_TOKEN the first administrator's token when there is no administrator yet. */
@Injectable()
export class BootstrapAdmin implements OnApplicationBootstrap {
  private readonly logger = new Logger('BootstrapAdmin');

  constructor(
    @Inject(RDX_CONFIG) private readonly config: RdxConfig,
    @Inject(Database) private readonly db: Database,
    @Inject(TokensRepository) private readonly tokens: TokensRepository,
    @Inject(AuditRepository) private readonly audit: AuditRepository,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const token = this.config.adminToken;
    if (token === undefined) return;
    const at = this.clock.now().toISOString();
    // Instances booting together may race here; the token hash is unique, so one wins.
    const made = await this.db
      .transaction(async (tx) => {
        if ((await this.tokens.countAdmins(tx)) > 0) return false;
        const id = randomUUID();
        await this.tokens.insertAdminToken(
          tx,
          { id, role: 'admin', country: null, expiresAt: null, createdAt: at, createdBy: 'bootstrap' },
          hashAdminToken(token),
        );
        await this.audit.append(tx, [
          { at, actor: 'bootstrap', action: 'admin-token.bootstrapped', subject: `admin-token:${id}` },
        ]);
        return true;
      })
      .catch(async (error: unknown) => {
        if ((await this.tokens.findAdminTokenByHash(this.db, hashAdminToken(token))) !== undefined)
          return false;
        throw error;
      });
    if (made) this.logger.log('RDX_ADMIN_TOKEN is now the first administrator token');
  }
}
