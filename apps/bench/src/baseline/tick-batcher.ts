/**
 * Gathers items into batches: a batch leaves when it reaches `maxBatch` items, or on the next
 * `setImmediate` after its first item, whichever comes first. At most `maxInFlight` batches are
 * being flushed at once; meanwhile items keep gathering, so batches grow under load.
 * `flush` must settle its own items; a throw is logged as a bug.
 */
export class TickBatcher<T> {
  private pending: T[] = [];
  private inFlight = 0;
  private scheduled = false;
  private readonly idle: (() => void)[] = [];

  constructor(
    private readonly flush: (batch: T[]) => Promise<void>,
    private readonly maxBatch: number,
    private readonly maxInFlight: number,
  ) {}

  add(item: T): void {
    this.pending.push(item);
    if (this.pending.length >= this.maxBatch) this.pump();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.pump();
      });
    }
  }

  /** Resolves once everything added so far has been flushed. */
  async drain(): Promise<void> {
    this.pump();
    while (this.inFlight > 0 || this.pending.length > 0) {
      await new Promise<void>((resolve) => this.idle.push(resolve));
    }
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.pending.length > 0) {
      const batch =
        this.pending.length <= this.maxBatch ? this.pending : this.pending.slice(0, this.maxBatch);
      this.pending = batch === this.pending ? [] : this.pending.slice(this.maxBatch);
      this.inFlight++;
      void this.run(batch);
    }
  }

  private async run(batch: T[]): Promise<void> {
    try {
      await this.flush(batch);
    } catch (error) {
      console.error('baseline: a batch flush threw:', error);
    } finally {
      this.inFlight--;
      this.pump();
      for (const resolve of this.idle.splice(0)) resolve();
    }
  }
}
