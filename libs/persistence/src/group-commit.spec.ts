import { BatchLoader, GroupCommit } from './group-commit';

/** A write whose batches the test sees and releases one at a time. */
function aControlledWrite<T>() {
  const batches: { items: T[]; release: (outcomes?: unknown[] | Error) => void }[] = [];
  const write = (items: T[]) =>
    new Promise<unknown[]>((resolve, reject) => {
      batches.push({
        items,
        release: (outcomes) =>
          outcomes instanceof Error
            ? reject(outcomes)
            : resolve(outcomes ?? items.map((i) => `stored ${String(i)}`)),
      });
    });
  return { batches, write };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommit', () => {
  it('writes the first item at once and everything that arrives meanwhile as the next batch', async () => {
    const { batches, write } = aControlledWrite<string>();
    const commit = new GroupCommit<string, unknown>(write, { maxBatch: 100 });
    const first = commit.submit('a');
    const later = ['b', 'c', 'd'].map((item) => commit.submit(item));
    await tick();
    expect(batches.map((b) => b.items)).toEqual([['a']]);
    batches[0].release();
    expect(await first).toBe('stored a');
    await tick();
    expect(batches.map((b) => b.items)).toEqual([['a'], ['b', 'c', 'd']]);
    batches[1].release();
    expect(await Promise.all(later)).toEqual(['stored b', 'stored c', 'stored d']);
  });

  it('starts items submitted together in the same batch, and answers them in their order', async () => {
    const { batches, write } = aControlledWrite<string>();
    const commit = new GroupCommit<string, unknown>(write, { maxBatch: 3 });
    const together = commit.submitAll(['a', 'b', 'c', 'd']);
    await tick();
    expect(batches.map((b) => b.items)).toEqual([['a', 'b', 'c']]);
    batches[0].release();
    await tick();
    expect(batches.map((b) => b.items)).toEqual([['a', 'b', 'c'], ['d']]);
    batches[1].release();
    expect(await together).toEqual(['stored a', 'stored b', 'stored c', 'stored d']);
  });

  it('fails items submitted together if any of them fails', async () => {
    const { batches, write } = aControlledWrite<string>();
    const commit = new GroupCommit<string, unknown>(write, { maxBatch: 100 });
    const together = commit.submitAll(['a', 'b']);
    await tick();
    batches[0].release(['stored a', new Error('b is refused')]);
    await expect(together).rejects.toThrow('b is refused');
  });

  it('answers each caller only once its own batch is written', async () => {
    const { batches, write } = aControlledWrite<string>();
    const commit = new GroupCommit<string, unknown>(write, { maxBatch: 100 });
    let answered = false;
    void commit.submit('a').then(() => (answered = true));
    await tick();
    expect(answered).toBe(false);
    batches[0].release();
    await tick();
    expect(answered).toBe(true);
  });

  it('keeps batches under maxBatch and runs at most `concurrency` at once, each item once, in order', async () => {
    let inFlight = 0;
    let mostInFlight = 0;
    const written: number[][] = [];
    const commit = new GroupCommit<number, number>(
      async (items) => {
        inFlight++;
        mostInFlight = Math.max(mostInFlight, inFlight);
        written.push(items);
        await tick();
        inFlight--;
        return items;
      },
      { maxBatch: 2, concurrency: 2 },
    );
    const all = Array.from({ length: 9 }, (_, n) => commit.submit(n));
    expect(await Promise.all(all)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(mostInFlight).toBe(2);
    expect(Math.max(...written.map((batch) => batch.length))).toBe(2);
    expect(written.flat()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('refuses one item alone when its outcome is an Error, and the whole batch when the write throws', async () => {
    const { batches, write } = aControlledWrite<string>();
    const commit = new GroupCommit<string, unknown>(write, { maxBatch: 100 });
    const first = commit.submit('a');
    const [b, c] = [commit.submit('b'), commit.submit('c')];
    await tick();
    batches[0].release(new Error('connection lost'));
    await expect(first).rejects.toThrow('connection lost');
    await tick();
    batches[1].release(['stored b', new Error('c is not routable')]);
    expect(await b).toBe('stored b');
    await expect(c).rejects.toThrow('c is not routable');
  });
});

describe('GroupCommit with lingerMs', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  const pass = (ms: number) => jest.advanceTimersByTimeAsync(ms);

  /** A commit that has seen items arrive every millisecond, all written: the next batch may wait. */
  async function aBusyCommit(options: { maxBatch: number; lingerMs: number }) {
    const { batches, write } = aControlledWrite<string>();
    const commit = new GroupCommit<string, unknown>(write, options);
    for (let n = 0; n < 60; n++) {
      void commit.submit(`warm ${n}`);
      await pass(1);
      batches.forEach((b) => b.release());
    }
    await pass(options.lingerMs);
    batches.forEach((b) => b.release());
    await pass(0);
    batches.length = 0;
    return { batches, commit };
  }

  it('answers sparse traffic at once, never waiting for company', async () => {
    const { batches, write } = aControlledWrite<string>();
    const commit = new GroupCommit<string, unknown>(write, { maxBatch: 100, lingerMs: 10 });
    for (const item of ['a', 'b', 'c']) {
      const stored = commit.submit(item);
      await pass(0);
      expect(batches.at(-1)?.items).toEqual([item]);
      batches.at(-1)!.release();
      expect(await stored).toBe(`stored ${item}`);
      await pass(50);
    }
  });

  it('under a steady load, starts a batch lingerMs after its first item, with those that came meanwhile', async () => {
    const { batches, commit } = await aBusyCommit({ maxBatch: 100, lingerMs: 10 });
    const first = commit.submit('x');
    await pass(6);
    const second = commit.submit('y');
    await pass(3);
    expect(batches).toHaveLength(0);
    await pass(1);
    expect(batches.map((b) => b.items)).toEqual([['x', 'y']]);
    batches[0].release();
    expect(await Promise.all([first, second])).toEqual(['stored x', 'stored y']);
  });

  it('starts as soon as items stop coming, as when every caller waits for its answer', async () => {
    const { batches, commit } = await aBusyCommit({ maxBatch: 100, lingerMs: 50 });
    void commit.submit('x');
    void commit.submit('y');
    // Items came a millisecond apart; none for a few times that: no one else is coming.
    await pass(25);
    expect(batches.map((b) => b.items)).toEqual([['x', 'y']]);
  });

  it('starts a full batch without waiting', async () => {
    const { batches, commit } = await aBusyCommit({ maxBatch: 3, lingerMs: 10 });
    void commit.submitAll(['x', 'y', 'z', 'w']);
    await pass(0);
    expect(batches.map((b) => b.items)).toEqual([['x', 'y', 'z']]);
  });

  it('starts what gathered during a long write as soon as the write ends, without lingering again', async () => {
    const { batches, commit } = await aBusyCommit({ maxBatch: 100, lingerMs: 10 });
    void commit.submit('x');
    await pass(10);
    expect(batches.map((b) => b.items)).toEqual([['x']]);
    void commit.submit('y');
    await pass(30);
    batches[0].release();
    await pass(0);
    expect(batches.map((b) => b.items)).toEqual([['x'], ['y']]);
  });

  it('stops waiting once items come more than lingerMs apart', async () => {
    const { batches, commit } = await aBusyCommit({ maxBatch: 100, lingerMs: 10 });
    let waited = 0;
    for (let n = 0; n < 40; n++) {
      void commit.submit(`slow ${n}`);
      await pass(0);
      if (batches.length === 0) {
        waited++;
        await pass(10);
      }
      batches.splice(0).forEach((b) => b.release());
      await pass(40);
    }
    // The running average of the gaps passes 10 ms after some arrivals; from then on none waits.
    expect(waited).toBeGreaterThan(0);
    expect(waited).toBeLessThan(20);
    void commit.submit('then');
    await pass(0);
    expect(batches.map((b) => b.items)).toEqual([['then']]);
  });
});

describe('BatchLoader', () => {
  it('asks once for all the keys of one turn of the event loop, each key once', async () => {
    const asked: string[][] = [];
    const loader = new BatchLoader(async (keys: string[]) => {
      asked.push(keys);
      return new Map(keys.filter((k) => k !== 'missing').map((k) => [k, k.toUpperCase()]));
    });
    const found = await Promise.all(['a', 'b', 'a', 'missing'].map((k) => loader.get(k)));
    expect(found).toEqual(['A', 'B', 'A', undefined]);
    expect(asked).toEqual([['a', 'b', 'missing']]);
    expect(await loader.get('c')).toBe('C');
    expect(asked).toHaveLength(2);
  });

  it('fails every waiting caller when the load fails, and loads afresh afterwards', async () => {
    let fail = true;
    const loader = new BatchLoader(async (keys: string[]) => {
      if (fail) throw new Error('database unavailable');
      return new Map(keys.map((k) => [k, 1]));
    });
    const results = await Promise.allSettled([loader.get('a'), loader.get('b')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await loader.get('a')).toBe(1);
  });
});
