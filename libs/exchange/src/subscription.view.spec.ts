import { SubscriptionRecord } from '@rdx/persistence';
import { acceptsSource, SourceIndex, sourceIndexOf } from './subscription.view';

const COUNTRIES = ['ID', 'KH', 'MY', 'PH', 'TH'];
const PARTICIPANTS = COUNTRIES.flatMap((c) => [`${c}.POLICE`, `${c}.MOFA`, `${c}.TASKFORCE`]);

/** A deterministic stream of numbers in [0, 1): the same subscriptions on every run. */
function numbers(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function subscription(id: number, filterSources: string[] | null): SubscriptionRecord {
  return {
    id: `sub_${String(id).padStart(4, '0')}`,
    participantId: PARTICIPANTS[id % PARTICIPANTS.length],
    types: ['rdx.alert.v1'],
    filterSources,
    purpose: null,
    deliveryMode: 'pull',
    webhookUrl: null,
    createdAt: '2026-11-28T00:00:00.000Z',
    status: 'active',
    disabledReason: null,
  };
}

const ids = (list: readonly SubscriptionRecord[]) => list.map((s) => s.id).sort();

describe('SourceIndex', () => {
  it('finds exactly the subscriptions whose filter accepts the source, each once', () => {
    const next = numbers(7);
    const pick = <T>(from: readonly T[]) => from[Math.floor(next() * from.length)];
    const subscriptions = Array.from({ length: 400 }, (_, i) => {
      if (next() < 0.3) return subscription(i, null);
      // Participant ids, country codes, both for the same source, and repeats.
      const filter = Array.from({ length: 1 + Math.floor(next() * 3) }, () =>
        next() < 0.5 ? pick(PARTICIPANTS) : pick(COUNTRIES),
      );
      return subscription(i, filter);
    });
    const index = new SourceIndex(subscriptions);
    for (const source of [...PARTICIPANTS, 'VN.POLICE', 'ID']) {
      const found = index.accepting(source);
      expect(ids(found)).toEqual(ids(subscriptions.filter((s) => acceptsSource(s, source))));
      expect(new Set(found).size).toBe(found.length);
    }
  });

  it('is built once for each list read from the registry', () => {
    const list = [subscription(1, ['ID']), subscription(2, null)];
    expect(sourceIndexOf(list)).toBe(sourceIndexOf(list));
    expect(sourceIndexOf([...list])).not.toBe(sourceIndexOf(list));
    expect(ids(sourceIndexOf(list).accepting('ID.POLICE'))).toEqual(['sub_0001', 'sub_0002']);
    expect(ids(sourceIndexOf(list).accepting('PH.POLICE'))).toEqual(['sub_0002']);
  });
});
