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

  it('counts the endpoints whose circuit is open now', () => {
    const breaker = new CircuitBreaker(1, 1000);
    expect(breaker.openCount(0)).toBe(0);
    breaker.failed('https://a', 0);
    breaker.failed('https://b', 500);
    expect(breaker.openCount(600)).toBe(2);
    expect(breaker.openCount(1200)).toBe(1);
    breaker.succeeded('https://b');
    expect(breaker.openCount(600)).toBe(1);
  });
});
