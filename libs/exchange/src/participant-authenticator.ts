import { Inject, Injectable } from '@nestjs/common';
import { RDX_CONFIG, RdxConfig } from '@rdx/config';
import { RdxError } from '@rdx/errors';
import { Database, ParticipantRecord, TokensRepository } from '@rdx/persistence';
import { Clock } from './clock';
import { parseJsonObject } from './envelope';
import { RateLimiter } from './rate-limiter';
import { Signers } from './signers';

const MAX_LIFETIME_SECONDS = 300;

/**
 * Authenticates a participant's bearer JWT (PROTOCOL.md section 2): signed by one of its
 * active keys, `typ: JWT`, iss = sub = the participant, aud = this gateway, at most 300 s
 * of validity, and a `jti` never seen before while it is valid.
 */
@Injectable()
export class ParticipantAuthenticator {
  constructor(
    @Inject(RDX_CONFIG) private readonly config: RdxConfig,
    @Inject(Database) private readonly db: Database,
    @Inject(TokensRepository) private readonly tokens: TokensRepository,
    @Inject(Signers) private readonly signers: Signers,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(RateLimiter) private readonly rateLimiter: RateLimiter,
  ) {}

  async authenticate(token: string): Promise<ParticipantRecord> {
    const now = this.clock.now();
    const signed = await this.signers.verify(token, 'JWT').catch((error: unknown) => {
      if (error instanceof RdxError && error.status !== 401) {
        throw new RdxError('invalid-token', `the bearer token is not a valid JWT: ${error.detail}`);
      }
      throw error;
    });
    const claims = (() => {
      try {
        return parseJsonObject(signed.payload, 'bearer token payload');
      } catch {
        throw new RdxError('invalid-token', 'the bearer token claims are not a JSON object');
      }
    })();
    const owner = signed.participant.id;
    const invalid = (why: string): never => {
      throw new RdxError('invalid-token', why);
    };
    if (claims.iss !== owner || claims.sub !== owner)
      invalid(`iss and sub must both be ${owner}, the owner of the key`);
    const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!audience.includes(this.config.gatewayId)) invalid(`aud must be "${this.config.gatewayId}"`);
    const { iat, exp, jti } = claims;
    if (
      typeof iat !== 'number' ||
      typeof exp !== 'number' ||
      !Number.isInteger(iat) ||
      !Number.isInteger(exp)
    ) {
      invalid('iat and exp must be whole seconds');
    }
    if (typeof jti !== 'string' || jti.length === 0 || jti.length > 128)
      invalid('jti must be a string of 1-128 characters');
    const seconds = Math.floor(now.getTime() / 1000);
    const skew = this.config.clockSkewSeconds;
    if ((exp as number) - (iat as number) > MAX_LIFETIME_SECONDS)
      invalid('exp may be at most 300 s after iat');
    if ((exp as number) <= (iat as number)) invalid('exp must be after iat');
    if ((iat as number) > seconds + skew) invalid('iat is in the future');
    if ((exp as number) + skew <= seconds) invalid('the bearer token has expired');

    this.signers.requireActive(signed, now);
    this.rateLimiter.take(owner);
    const keepUntil = new Date(((exp as number) + skew) * 1000).toISOString();
    if (!(await this.tokens.useTokenId(this.db, owner, jti as string, keepUntil))) {
      throw new RdxError(
        'token-replayed',
        'this bearer token (jti) was already used: sign a new one for each request',
      );
    }
    return signed.participant;
  }
}
