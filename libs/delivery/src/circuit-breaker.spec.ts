import { CircuitBreaker } from './circuit-breaker';

describe('CircuitBreaker', () => {
  it('opens after the threshold of consecutive failures, for a while, per endpoint', () => {
    const breaker = new CircuitBreaker(3, 1000);
    breaker.failed('https://a', 0);
    breaker.failed('https://a', 0);
    expect(breaker.openUntil('https://a', 0)).toBeUndefined();
    breaker.failed('https://a', 10);
    expect(breaker.openUntil('https://a', 500)).toBe(1010);
    expect(breaker.openUntil('https://b', 500)).toBeUndefined();
    expect(breaker.openUntil('https://a', 1010)).toBeUndefined();
    // Half open: one more failure and it opens again at once; a success closes it.
    breaker.failed('https://a', 1100);
    expect(breaker.openUntil('https://a', 1100)).toBe(2100);
    breaker.succeeded('https://a');
    expect(breaker.openUntil('https://a', 1200)).toBeUndefined();
  });
});
