import { nextAttemptDelayMs, parseRetryAfter } from './retry-schedule';

describe('the retry schedule', () => {
  const delays = [5, 300, 1800];

  it('waits the configured delay, with jitter of at most 20 % either way', () => {
    expect(nextAttemptDelayMs(1, delays, undefined, () => 0)).toBe(4000);
    expect(nextAttemptDelayMs(1, delays, undefined, () => 1)).toBe(6000);
    expect(nextAttemptDelayMs(2, delays, undefined, () => 0.5)).toBe(300_000);
  });

  it('is spent after the last delay', () => {
    expect(nextAttemptDelayMs(3, delays, undefined, () => 0.5)).toBe(1_800_000);
    expect(nextAttemptDelayMs(4, delays, undefined, () => 0.5)).toBeUndefined();
  });

  it('never comes sooner than the Retry-After the receiver asked for', () => {
    expect(nextAttemptDelayMs(1, delays, 120, () => 0.5)).toBe(120_000);
    expect(nextAttemptDelayMs(2, delays, 1, () => 0.5)).toBe(300_000);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = new Date('2026-11-27T10:00:00Z');
    expect(parseRetryAfter('30', now)).toBe(30);
    expect(parseRetryAfter('Fri, 27 Nov 2026 10:01:00 GMT', now)).toBe(60);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
