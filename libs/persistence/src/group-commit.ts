interface Waiting<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: what arrives while a batch is being written becomes the next batch, so many
 * requests share one transaction (one round of statements, one fsync, one audit-chain lock) and
 * each caller still gets its own answer only after that transaction committed. Light load gives
 * batches of one and no added wait; heavy load gives big batches.
 *
 * `write` returns one outcome per item, in order: a result, or an Error for that item alone.
 * A thrown error fails the whole batch (nothing of it committed).
 * @example
 * const accept = new GroupCommit((items) => db.transaction((tx) => storeAll(tx, items)), { maxBatch: 500 });
 * const stored = await accept.submit(message);
 */
export class GroupCommit<T, R> {
  private readonly waiting: Waiting<T, R>[] = [];
  private writing = 0;
  private readonly maxBatch: number;
  private readonly concurrency: number;

  constructor(
    private readonly write: (items: T[]) => Promise<(R | Error)[]>,
    options: { maxBatch: number; concurrency?: number },
  ) {
    this.maxBatch = options.maxBatch;
    this.concurrency = options.concurrency ?? 1;
  }

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.pump();
    });
  }

  /** Submits items that arrived together: they start in the same batch (as far as `maxBatch` allows). */
  submitAll(items: readonly T[]): Promise<R[]> {
    const answers = items.map(
      (item) => new Promise<R>((resolve, reject) => this.waiting.push({ item, resolve, reject })),
    );
    this.pump();
    return Promise.all(answers);
  }

  private pump(): void {
    while (this.writing < this.concurrency && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.maxBatch);
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
