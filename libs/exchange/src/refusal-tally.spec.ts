import { Database, RefusalCount, RefusalCountsRepository } from '@rdx/persistence';
import { Clock } from './clock';
import { RefusalTally } from './refusal-tally';

/** A repository that keeps what it is given, or fails while `down`. */
class FakeCounts {
  written: RefusalCount[][] = [];
  down = false;
  async add(_ex: unknown, counts: readonly RefusalCount[]): Promise<void> {
    if (this.down) throw new Error('the database does not answer');
    this.written.push(counts.map((c) => ({ ...c })));
  }
}

const at = (iso: string) => ({ now: () => new Date(iso) }) as Clock;

describe('RefusalTally', () => {
  it('writes one count per minute, type, country and problem, in one batch', async () => {
    const counts = new FakeCounts();
    const clock = { now: () => new Date('2030-01-01T10:00:30.000Z') } as Clock;
    const tally = new RefusalTally({} as Database, counts as unknown as RefusalCountsRepository, clock);
    tally.add('t', 'KH', 'invalid-signature');
    tally.add('t', 'KH', 'invalid-signature');
    tally.add('unknown', 'unknown', 'bad-request');
    clock.now = at('2030-01-01T10:01:00.000Z').now;
    tally.add('t', 'KH', 'invalid-signature');
    await tally.flush();
    expect(counts.written).toEqual([
      [
        { minute: '2030-01-01T10:00', type: 't', country: 'KH', problem: 'invalid-signature', count: 2 },
        { minute: '2030-01-01T10:00', type: 'unknown', country: 'unknown', problem: 'bad-request', count: 1 },
        { minute: '2030-01-01T10:01', type: 't', country: 'KH', problem: 'invalid-signature', count: 1 },
      ],
    ]);
    await tally.flush();
    expect(counts.written).toHaveLength(1); // nothing new, nothing written
  });

  it('keeps the counts of a write that failed for the next, added to the new ones', async () => {
    const counts = new FakeCounts();
    const tally = new RefusalTally(
      {} as Database,
      counts as unknown as RefusalCountsRepository,
      at('2030-01-01T10:00:00.000Z'),
    );
    tally.add('t', 'KH', 'forbidden');
    counts.down = true;
    await tally.flush();
    tally.add('t', 'KH', 'forbidden');
    counts.down = false;
    await tally.flush();
    expect(counts.written).toEqual([
      [{ minute: '2030-01-01T10:00', type: 't', country: 'KH', problem: 'forbidden', count: 2 }],
    ]);
  });
});
