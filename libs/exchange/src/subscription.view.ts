import { randomBytes } from 'node:crypto';
import { SubscriptionRecord } from '@rdx/persistence';

export const PURPOSES = ['consular', 'protection', 'repatriation', 'law-enforcement', 'statistics'] as const;

export interface SubscriptionRequest {
  types: string[];
  filter?: { sources?: string[] };
  purpose?: (typeof PURPOSES)[number];
  delivery: { mode: 'pull' | 'webhook'; url?: string };
}

export interface SubscriptionView {
  id: string;
  types: string[];
  filter: { sources?: string[] };
  purpose: string | null;
  delivery: { mode: 'pull' } | { mode: 'webhook'; url: string };
  status: 'active' | 'disabled';
  disabledReason?: string;
  /** A webhook subscription's signing secret: in the answer that creates or rotates it, never again. */
  secret?: string;
}

export const subscriptionView = (s: SubscriptionRecord): SubscriptionView => ({
  id: s.id,
  types: s.types,
  filter: s.filterSources === null ? {} : { sources: s.filterSources },
  purpose: s.purpose,
  delivery: s.deliveryMode === 'webhook' ? { mode: 'webhook', url: s.webhookUrl! } : { mode: 'pull' },
  status: s.status,
  ...(s.disabledReason === null ? {} : { disabledReason: s.disabledReason }),
});

/** A Standard Webhooks secret: `whsec_` and 256 random bits in base64. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** What a source filter entry names to let in a message from `source`: the participant, or its country. */
const filterNamesOf = (source: string): [participant: string, country: string] => [
  source,
  source.slice(0, 2),
];

/** Whether a subscription's source filter (participant ids or country codes) lets in a message from `source`. */
export function acceptsSource(s: SubscriptionRecord, source: string): boolean {
  const [participant, country] = filterNamesOf(source);
  return s.filterSources === null || s.filterSources.some((f) => f === participant || f === country);
}

/**
 * One type's subscriptions by the sources their filters name, to find those that accept a
 * message's source (`acceptsSource`) without reading every subscription to the type: a
 * publish's routing then costs the same with ten subscriptions or ten thousand.
 */
export class SourceIndex {
  private readonly open: SubscriptionRecord[] = [];
  private readonly named = new Map<string, SubscriptionRecord[]>();

  constructor(subscriptions: readonly SubscriptionRecord[]) {
    for (const s of subscriptions) {
      if (s.filterSources === null) {
        this.open.push(s);
        continue;
      }
      for (const source of new Set(s.filterSources)) {
        const list = this.named.get(source);
        if (list === undefined) this.named.set(source, [s]);
        else list.push(s);
      }
    }
  }

  /** The subscriptions that accept a message from `source`, each once (in no particular order). */
  accepting(source: string): readonly SubscriptionRecord[] {
    const [participant, country] = filterNamesOf(source);
    const byId = this.named.get(participant);
    const byCountry = this.named.get(country);
    if (byId === undefined && byCountry === undefined) return this.open;
    return [...new Set([...this.open, ...(byId ?? []), ...(byCountry ?? [])])];
  }
}

/** Indexes of the registry's lists, built once per list: a new registry version brings new lists. */
const indexes = new WeakMap<readonly SubscriptionRecord[], SourceIndex>();

/** The `SourceIndex` of a list of subscriptions that is not changed once read (the registry's). */
export function sourceIndexOf(subscriptions: readonly SubscriptionRecord[]): SourceIndex {
  let index = indexes.get(subscriptions);
  if (index === undefined) indexes.set(subscriptions, (index = new SourceIndex(subscriptions)));
  return index;
}
