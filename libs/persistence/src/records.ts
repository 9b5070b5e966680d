import type { MessageLinks } from './repositories/threads.repository';

/** What the repositories hand back: plain records, camelCase, times as ISO 8601 strings. */

export const PARTICIPANT_KINDS = [
  'law-enforcement',
  'foreign-affairs',
  'social-welfare',
  'immigration',
  'labour',
  'coordination',
] as const;
export type ParticipantKind = (typeof PARTICIPANT_KINDS)[number];
export type ParticipantStatus = 'active' | 'suspended';

export interface ParticipantRecord {
  id: string;
  country: string;
  name: string;
  kind: ParticipantKind;
  contact: Record<string, unknown> | null;
  status: ParticipantStatus;
  createdAt: string;
  updatedAt: string;
}

export type KeyStatus = 'active' | 'retired' | 'revoked';

export interface KeyRecord {
  kid: string;
  participantId: string;
  alg: 'ES256' | 'EdDSA';
  jwk: Record<string, unknown> & { kid: string };
  status: KeyStatus;
  notBefore: string | null;
  notAfter: string | null;
  createdAt: string;
  retiredAt: string | null;
  revokedAt: string | null;
  revocationReason: string | null;
}

export interface Withheld {
  participant: string;
  reason: string;
}

export interface MessageRecord {
  id: string;
  source: string;
  type: string;
  kid: string;
  tlp: string;
  digest: string;
  jws: string;
  receivedAt: string;
  withheld: Withheld[];
  receipt: string;
  /** When retention removed the payload (`jws` is then empty). */
  purgedAt: string | null;
  /** The W3C traceparent of its commit span, written only while tracing is on (not read back with it). */
  traceParent?: string | null;
}

/** `cancelled`: its message was withdrawn first; `expired`: its message expired first. */
export type DeliveryState = 'pending' | 'delivered' | 'failed' | 'cancelled' | 'expired';
export type AckStatus = 'received' | 'accepted' | 'rejected' | 'actioned';

export interface RecipientRecord {
  messageId: string;
  participantId: string;
  delivery: DeliveryState;
  deliveredAt: string | null;
  ackStatus: AckStatus | null;
  ackAt: string | null;
}

export type DeliveryMode = 'pull' | 'webhook';

export type SubscriptionStatus = 'active' | 'disabled';

export interface SubscriptionRecord {
  id: string;
  participantId: string;
  types: string[];
  filterSources: string[] | null;
  purpose: string | null;
  deliveryMode: DeliveryMode;
  webhookUrl: string | null;
  createdAt: string;
  status: SubscriptionStatus;
  disabledReason: string | null;
}

/** The signing secrets of a webhook subscription: the current one, and the one it replaced while the overlap lasts. */
export interface WebhookSecrets {
  current: string;
  previous: string | null;
  previousExpiresAt: string | null;
}

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed' | 'cancelled' | 'expired';

export interface WebhookDeliveryRecord {
  id: string;
  subscriptionId: string;
  participantId: string;
  messageId: string;
  seq: number;
  status: WebhookDeliveryStatus;
  attempts: number;
  nextAttemptAt: string;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
  failedAt: string | null;
  /** The W3C traceparent of the routing span that made it, written only while tracing is on. */
  traceParent?: string | null;
}

/** A delivery due to be attempted, as the dispatcher reads it. */
export interface DueDeliveryRecord extends WebhookDeliveryRecord {
  /**
   * The number of its last recorded attempt, 0 if none. Not `attempts`, which a replay sets back
   * to 0 for the retry schedule while the attempts stay recorded.
   */
  lastAttempt: number;
  /** Its stored traceparent (`WebhookDeliveryRecord.traceParent`): each attempt's parent span. */
  traceParent: string | null;
}

export interface WebhookAttemptRecord {
  deliveryId: string;
  attempt: number;
  at: string;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
}

export type AdminRole = 'admin' | 'country-admin' | 'auditor';

export interface AdminTokenRecord {
  id: string;
  role: AdminRole;
  country: string | null;
  expiresAt: string | null;
  createdAt: string;
  createdBy: string;
}

export interface AuditItem {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  details?: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export interface InboxRow {
  seq: number;
  messageId: string;
  source: string;
  type: string;
  receivedAt: string;
  jws: string;
  /** The gateway-signed redacted copy this recipient gets instead of `jws`, if any. */
  redactedJws: string | null;
  purgedAt: string | null;
  /** Its place in a case, and what became of it, if it has any (`message_links`). */
  links: MessageLinks | null;
}
