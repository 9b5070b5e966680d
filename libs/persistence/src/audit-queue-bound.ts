/**
 * Where the audit chainer starts reading the queue. Queue ids are given out when an act writes
 * its entries, not when it commits, so an entry can appear below ids already linked. The bound
 * therefore moves up to an id only after every act that could still hold an entry below it has
 * had `settleMs` to commit and a later pass has found the queue above the bound empty. Acts are
 * short; one slower than that is linked by the pass from the start of the queue that comes every
 * `fullScanMs` (and by any reader of the record, which links everything before it reads).
 */
export class AuditQueueBound {
  /** Every entry with a queue id up to this one is linked. */
  private bound = 0;
  /** The highest id linked by a pass, and when: the next bound, once acts have had time to commit. */
  private candidate: { id: number; seenAt: number } | undefined;
  private lastFullScan: number;

  constructor(
    private readonly settleMs: number,
    private readonly fullScanMs: number,
    now: number,
  ) {
    this.lastFullScan = now;
  }

  /** Where a turn starting at `now` reads from: the bound, or the start of the queue when a full pass is due. */
  from(now: number): number {
    return now - this.lastFullScan >= this.fullScanMs ? 0 : this.bound;
  }

  /**
   * A turn that started at `startedAt` and read from `from` found nothing more queued above it,
   * having linked entries up to `highest` (its `from` when it linked none).
   */
  drained(startedAt: number, from: number, highest: number, now: number): void {
    if (from === 0) this.lastFullScan = startedAt;
    if (this.candidate !== undefined && this.candidate.seenAt + this.settleMs <= startedAt) {
      this.bound = Math.max(this.bound, this.candidate.id);
      this.candidate = undefined;
    }
    if (this.candidate === undefined && highest > this.bound) this.candidate = { id: highest, seenAt: now };
  }
}
