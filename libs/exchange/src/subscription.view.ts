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

/** Whether a subscription's source filter (participant ids or country codes) lets in a message from `source`. */
export function acceptsSource(s: SubscriptionRecord, source: string): boolean {
  return s.filterSources === null || s.filterSources.some((f) => f === source || f === source.slice(0, 2));
}
