import { AuditQueueBound } from './audit-queue-bound';

const SETTLE = 30_000;
const FULL = 300_000;

describe('AuditQueueBound', () => {
  it('reads from the start until what it linked has had time to commit, then from there', () => {
    const bound = new AuditQueueBound(SETTLE, FULL, 0);
    expect(bound.from(1_000)).toBe(0);
    // Linked up to 500 at 1 s: an act holding 480 may still commit until 31 s.
    bound.drained(1_000, 0, 500, 1_010);
    expect(bound.from(2_000)).toBe(0);
    bound.drained(2_000, 0, 700, 2_010);
    expect(bound.from(31_000)).toBe(0);
    // A turn that started before 31 s could have missed such an act's entries.
    bound.drained(31_000, 0, 900, 31_005);
    expect(bound.from(31_100)).toBe(0);
    // This one started after; having read everything above 0, everything up to 500 is linked.
    bound.drained(31_100, 0, 900, 31_110);
    expect(bound.from(31_200)).toBe(500);
    // The next candidate is what the turn that moved the bound had linked.
    bound.drained(31_200, 500, 950, 31_210);
    expect(bound.from(61_109)).toBe(500);
    bound.drained(61_110, 500, 980, 61_120);
    expect(bound.from(61_200)).toBe(900);
  });

  it('does not move on a turn that linked nothing above the bound', () => {
    const bound = new AuditQueueBound(SETTLE, FULL, 0);
    bound.drained(1_000, 0, 0, 1_010);
    bound.drained(40_000, 0, 0, 40_010);
    expect(bound.from(40_100)).toBe(0);
  });

  it('reads the queue from its start again every full-pass period, for an act slower than the settle time', () => {
    const bound = new AuditQueueBound(SETTLE, FULL, 0);
    bound.drained(1_000, 0, 100, 1_010);
    // Still from the start: a full pass, and the bound moves to 100.
    bound.drained(40_000, 0, 200, 40_010);
    expect(bound.from(339_999)).toBe(100);
    expect(bound.from(340_000)).toBe(0);
    bound.drained(340_000, 0, 300, 340_010);
    // The period counts from the last full pass's start; the bound itself is kept and moves on.
    expect(bound.from(340_100)).toBe(200);
    expect(bound.from(639_999)).toBe(200);
    expect(bound.from(640_000)).toBe(0);
  });
});
