import { WebhookAttemptRecord, WebhookDeliveryRecord } from '@rdx/persistence';

export interface DeliveryView {
  id: string;
  subscriptionId: string;
  participant: string;
  messageId: string;
  seq: number;
  status: WebhookDeliveryRecord['status'];
  attempts: number;
  nextAttemptAt?: string;
  lastStatusCode?: number;
  lastError?: string;
  createdAt: string;
  deliveredAt?: string;
  failedAt?: string;
}

export interface AttemptView {
  attempt: number;
  at: string;
  statusCode?: number;
  latencyMs: number;
  error?: string;
}

const present = <K extends string, V>(key: K, value: V | null) =>
  (value === null ? {} : { [key]: value }) as Partial<Record<K, V>>;

export const deliveryView = (d: WebhookDeliveryRecord): DeliveryView => ({
  id: d.id,
  subscriptionId: d.subscriptionId,
  participant: d.participantId,
  messageId: d.messageId,
  seq: d.seq,
  status: d.status,
  attempts: d.attempts,
  ...(d.status === 'pending' ? { nextAttemptAt: d.nextAttemptAt } : {}),
  ...present('lastStatusCode', d.lastStatusCode),
  ...present('lastError', d.lastError),
  createdAt: d.createdAt,
  ...present('deliveredAt', d.deliveredAt),
  ...present('failedAt', d.failedAt),
});

export const attemptView = (a: WebhookAttemptRecord): AttemptView => ({
  attempt: a.attempt,
  at: a.at,
  ...present('statusCode', a.statusCode),
  latencyMs: a.latencyMs,
  ...present('error', a.error),
});
