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
}

export const subscriptionView = (s: SubscriptionRecord): SubscriptionView => ({
  id: s.id,
  types: s.types,
  filter: s.filterSources === null ? {} : { sources: s.filterSources },
  purpose: s.purpose,
  delivery: s.deliveryMode === 'webhook' ? { mode: 'webhook', url: s.webhookUrl! } : { mode: 'pull' },
});
