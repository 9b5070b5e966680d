import { Inject, Injectable } from '@nestjs/common';
import { RDX_CONFIG, RdxConfig } from '@rdx/config';
import { RdxError } from '@rdx/errors';

interface Bucket {
  tokens: number;
  refilledAt: number;
}

/**
 * A token bucket per authenticated caller, in this process. Several gateway instances each
 * allow the rate, so the limit a caller sees is per instance: it protects each instance.
 */
@Injectable()
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(@Inject(RDX_CONFIG) private readonly config: RdxConfig) {}

  /** Takes one token for `caller`, or refuses with 429 and the seconds until the next one. */
  take(caller: string, now = Date.now()): void {
    const { perSecond, burst } = this.config.rateLimit;
    const bucket = this.buckets.get(caller) ?? { tokens: burst, refilledAt: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.refilledAt) / 1000) * perSecond);
    bucket.refilledAt = now;
    this.buckets.set(caller, bucket);
    if (bucket.tokens < 1) {
      const retryAfterSeconds = Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond));
      throw new RdxError(
        'rate-limited',
        `too many requests from ${caller}; retry in ${retryAfterSeconds} s`,
        {
          retryAfterSeconds,
        },
      );
    }
    bucket.tokens -= 1;
    if (this.buckets.size > 10_000) this.forgetFull(now);
  }

  private forgetFull(now: number): void {
    const { perSecond, burst } = this.config.rateLimit;
    for (const [caller, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.refilledAt) / 1000) * perSecond >= burst)
        this.buckets.delete(caller);
    }
  }
}
