import { MessageRecord } from '@rdx/persistence';
import { QueueFloors } from './queue-floors';

const T = Date.UTC(2026, 10, 28, 12);
const iso = (offsetMs: number) => new Date(T + offsetMs).toISOString();
const routedAt = (offsetMs: number) => ({ receivedAt: iso(offsetMs) }) as MessageRecord;

describe('QueueFloors', () => {
  it('reads a recipient from the start until a read has routed its queue, then from a settled time', () => {
    const floors = new QueueFloors(60_000);
    const first = floors.windows([
      { participantId: 'ID.KEMLU', receivedAt: iso(-2_000) },
      { participantId: 'ID.KEMLU', receivedAt: iso(-1_000) },
      { participantId: 'PH.DFA', receivedAt: iso(-1_500) },
    ]);
    expect(first).toEqual(
      new Map([
        ['ID.KEMLU', { from: '', to: iso(-1_000) }],
        ['PH.DFA', { from: '', to: iso(-1_500) }],
      ]),
    );
    floors.routed(T, first, new Map([['ID.KEMLU', [routedAt(-2_000), routedAt(-1_000)]]]), 500);
    // A message may still commit that was accepted up to a minute before the read.
    const next = floors.windows([{ participantId: 'ID.KEMLU', receivedAt: iso(5_000) }]);
    expect(next.get('ID.KEMLU')).toEqual({ from: iso(-60_000), to: iso(5_000) });
    expect(floors.windows([{ participantId: 'PH.DFA', receivedAt: iso(5_000) }]).get('PH.DFA')).toEqual({
      from: iso(-60_000),
      to: iso(5_000),
    });
  });

  it('reads from a late message of the batch, however far below the floor', () => {
    const floors = new QueueFloors(60_000);
    const window = floors.windows([{ participantId: 'ID.KEMLU', receivedAt: iso(0) }]);
    floors.routed(T + 600_000, window, new Map(), 500);
    expect(
      floors.windows([
        { participantId: 'ID.KEMLU', receivedAt: iso(700_000) },
        { participantId: 'ID.KEMLU', receivedAt: iso(-30_000) },
      ]),
    ).toEqual(new Map([['ID.KEMLU', { from: iso(-30_000), to: iso(700_000) }]]));
  });

  it('stops at the last message routed when the limit left more, and never moves a floor back', () => {
    const floors = new QueueFloors(1_000);
    const window = floors.windows([{ participantId: 'ID.KEMLU', receivedAt: iso(100_000) }]);
    floors.routed(T + 200_000, window, new Map([['ID.KEMLU', [routedAt(10), routedAt(20)]]]), 2);
    expect(floors.windows([{ participantId: 'ID.KEMLU', receivedAt: iso(300_000) }]).get('ID.KEMLU')).toEqual(
      {
        from: iso(20),
        to: iso(300_000),
      },
    );
    // A read that could claim less (an earlier clock) keeps the floor where it is.
    floors.routed(T, window, new Map(), 2);
    expect(
      floors.windows([{ participantId: 'ID.KEMLU', receivedAt: iso(300_000) }]).get('ID.KEMLU')?.from,
    ).toBe(iso(20));
  });
});
