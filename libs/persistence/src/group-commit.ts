interface Waiting<T, R> {
  item: T;
  /** When it arrived (performance.now()). */
  at: number;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

export interface GroupCommitOptions {
  /** Items written together at most. */
  maxBatch: number;
  /** Batches written at once at most (1 by default). */
  concurrency?: number;
  /**
   * How long a batch may wait for company before it starts, in milliseconds (0 by default: never).
   * It waits only while items have been arriving more often than that and keep arriving, and
   * never beyond `lingerMs` after its first item arrived; a batch that gathered while the last
   * was written is usually past that already, and starts at once.
   */
  lingerMs?: number;
}

/**
 * Arrivals that far apart, or farther, count as sparse traffic (the first after a quiet spell
 * weighs as this, not as the hours it may have been).
 */
const SPARSE_GAP_MS = 1000;
/** Arrivals stopped, for lingering, after this many of the usual gaps without one. */
const QUIET_GAPS = 3;
/** Weight of the newest gap in the running average of the gaps between arrivals. */
const GAP_WEIGHT = 1 / 8;

/**
 * Group commit: what arrives while a batch is being written becomes the next batch, so many
 * requests share one transaction (one round of statements, one fsync, one audit-chain lock) and
 * each caller still gets its own answer only after that transaction committed. Light load gives
 * batches of one and no added wait; heavy load gives big batches.
 *
 * Between the two, a moderate load would give many small batches, each of which costs the same
 * commit, event and routing as a big one: with `lingerMs`, a batch that would start small waits
 * up to that long for the items about to arrive, so long as they have been arriving more often
 * than that and still come. Sparse traffic never waits, and neither do callers that all wait
 * for their answers (a closed loop): their arrivals stop, and the batch starts.
 *
 * `write` returns one outcome per item, in order: a result, or an Error for that item alone.
 * A thrown error fails the whole batch (nothing of it committed).
 * @example
 * const accept = new GroupCommit((items) => db.transaction((tx) => storeAll(tx, items)), { maxBatch: 500, lingerMs: 8 });
 * const stored = await accept.submit(message);
 */
export class GroupCommit<T, R> {
  private readonly waiting: Waiting<T, R>[] = [];
  private writing = 0;
  private readonly maxBatch: number;
  private readonly concurrency: number;
  private readonly lingerMs: number;
  private lastArrivalAt = -SPARSE_GAP_MS;
  /** Running average of the gaps between arrivals (items submitted together arrive once). */
  private gapMs = SPARSE_GAP_MS;
  private lingering: NodeJS.Timeout | undefined;

  constructor(
    private readonly write: (items: T[]) => Promise<(R | Error)[]>,
    options: GroupCommitOptions,
  ) {
    this.maxBatch = options.maxBatch;
    this.concurrency = options.concurrency ?? 1;
    this.lingerMs = options.lingerMs ?? 0;
  }

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, at: this.arrived(), resolve, reject });
      this.pump();
    });
  }

  /** Submits items that arrived together: they start in the same batch (as far as `maxBatch` allows). */
  submitAll(items: readonly T[]): Promise<R[]> {
    const at = this.arrived();
    const answers = items.map(
      (item) => new Promise<R>((resolve, reject) => this.waiting.push({ item, at, resolve, reject })),
    );
    this.pump();
    return Promise.all(answers);
  }

  private arrived(): number {
    const now = performance.now();
    this.gapMs += (Math.min(now - this.lastArrivalAt, SPARSE_GAP_MS) - this.gapMs) * GAP_WEIGHT;
    this.lastArrivalAt = now;
    return now;
  }

  /**
   * How much longer the next batch waits for company: until `lingerMs` after its first item, but
   * no longer than items keep coming (a few of the usual gaps), since callers who wait for their
   * answers before they send again stop coming; under a millisecond, not at all.
   */
  private lingerLeft(): number {
    if (this.lingerMs === 0 || this.gapMs >= this.lingerMs || this.waiting.length >= this.maxBatch) return 0;
    const now = performance.now();
    const left = Math.min(
      this.waiting[0].at + this.lingerMs - now,
      this.lastArrivalAt + QUIET_GAPS * this.gapMs - now,
    );
    return left < 1 ? 0 : left;
  }

  private pump(): void {
    while (this.writing < this.concurrency && this.waiting.length > 0) {
      const left = this.lingerLeft();
      if (left > 0) {
        this.lingering ??= setTimeout(() => {
          this.lingering = undefined;
          this.pump();
        }, left);
        return;
      }
      clearTimeout(this.lingering);
      this.lingering = undefined;
      this.start(this.waiting.splice(0, this.maxBatch));
    }
  }

  private start(batch: Waiting<T, R>[]): void {
    this.writing++;
    this.write(batch.map((w) => w.item))
      .then(
        (outcomes) =>
          batch.forEach((w, i) => {
            const outcome = outcomes[i];
            if (outcome instanceof Error) w.reject(outcome);
            else w.resolve(outcome);
          }),
        (error: unknown) => batch.forEach((w) => w.reject(error)),
      )
      .finally(() => {
        this.writing--;
        this.pump();
      });
  }
}

/**
 * Gathers the lookups asked for in one turn of the event loop into one query: many requests
 * verifying their signatures at once cost one `SELECT ... IN (...)`, not one each.
 */
export class BatchLoader<K, V> {
  private pending = new Map<K, { resolve: (v: V | undefined) => void; reject: (e: unknown) => void }[]>();
  private scheduled = false;

  constructor(private readonly load: (keys: K[]) => Promise<Map<K, V>>) {}

  get(key: K): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      const waiting = this.pending.get(key);
      if (waiting === undefined) this.pending.set(key, [{ resolve, reject }]);
      else waiting.push({ resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.run());
      }
    });
  }

  private run(): void {
    const batch = this.pending;
    this.pending = new Map();
    this.scheduled = false;
    this.load([...batch.keys()]).then(
      (found) => {
        for (const [key, waiting] of batch) for (const w of waiting) w.resolve(found.get(key));
      },
      (error: unknown) => {
        for (const waiting of batch.values()) for (const w of waiting) w.reject(error);
      },
    );
  }
}
