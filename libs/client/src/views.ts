/**
 * What the gateway answers, as PROTOCOL.md and docs/protocol-notes.md define it. These are the
 * client's own declarations of the wire format: the library depends on no part of the gateway.
 */

/** The 202 (or 200, for the same JWS again) answer to a published message. */
export interface PublishAnswer {
  messageId: string;
  status: 'accepted';
  receivedAt: string;
  recipients: string[];
  withheld: { participant: string; reason: string }[];
  /** The gateway's compact JWS (`typ: rdx-receipt+jws`) over what it accepted. */
  receipt: string;
}

/** The verified payload of a receipt. */
export interface Receipt {
  iss: string;
  messageId: string;
  source: string;
  receivedAt: string;
  recipients: string[];
  withheld: { participant: string; reason: string }[];
  /** `sha-256=` and the base64url SHA-256 of the exact JWS bytes the gateway received. */
  digest: string;
}

/** One item of an inbox, as the gateway serves it by pull and by webhook. */
export interface InboxItemWire {
  seq: number;
  cursor: string;
  messageId: string;
  source: string;
  type: string;
  receivedAt: string;
  /** The sender's JWS, the gateway's redacted copy (`redacted: true`), or null once purged. */
  message: string | null;
  redacted?: true;
  purgedAt?: string;
  /** Case links copied from the envelope (docs/protocol-notes.md, "Cases"). */
  inReplyTo?: string;
  supersedes?: string;
  expires?: string;
  respondBy?: string;
  /** Set once the message was withdrawn or superseded, or has expired. */
  status?: 'withdrawn' | 'superseded' | 'expired';
  supersededBy?: string;
  withdrawnBy?: string;
}

export interface InboxPage {
  items: InboxItemWire[];
  next: string;
}

export type Tlp = 'clear' | 'green' | 'amber' | 'amber+strict' | 'red';
export type Purpose = 'consular' | 'protection' | 'repatriation' | 'law-enforcement' | 'statistics';

export interface SubscriptionRequest {
  types: string[];
  filter?: { sources?: string[] };
  purpose?: Purpose;
  delivery: { mode: 'pull' } | { mode: 'webhook'; url: string };
}

export interface Subscription {
  id: string;
  types: string[];
  filter: { sources?: string[] };
  purpose: Purpose | null;
  delivery: { mode: 'pull' } | { mode: 'webhook'; url: string };
  status: 'active' | 'disabled';
  disabledReason?: string;
  /** A webhook subscription's secret: only in the answer that creates or rotates it. */
  secret?: string;
}

/** `cancelled`: its message was withdrawn first; `expired`: its message expired first. */
export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'cancelled' | 'expired';

export interface Delivery {
  id: string;
  subscriptionId: string;
  participant: string;
  messageId: string;
  seq: number;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt?: string;
  lastStatusCode?: number;
  lastError?: string;
  createdAt: string;
  deliveredAt?: string;
  failedAt?: string;
}

export interface MessageStatus {
  messageId: string;
  type: string;
  receivedAt: string;
  recipients: {
    participant: string;
    delivery: DeliveryStatus;
    ack?: { status: AckStatus; at: string };
  }[];
  withheld: { participant: string; reason: string }[];
  supersededBy?: string;
  withdrawnBy?: string;
  expires?: string;
  respondBy?: string;
}

/** Where a message of a case stands for the caller: the first that holds, in this order. */
export type ThreadStatus =
  'withdrawn' | 'superseded' | 'expired' | 'overdue' | 'acknowledged' | 'delivered' | 'pending' | 'accepted';

/** One message of a case's conversation (`GET /v1/threads/{messageId}`). */
export interface ThreadEntry {
  messageId: string;
  type: string;
  source: string;
  receivedAt: string;
  status: ThreadStatus;
  inReplyTo?: string;
  supersedes?: string;
  withdraws?: string;
  supersededBy?: string;
  withdrawnBy?: string;
  expires?: string;
  respondBy?: string;
  /** Every recipient for the message's sender; a recipient sees itself only. */
  recipients: {
    participant: string;
    delivery: DeliveryStatus;
    ack?: { status: AckStatus; at: string };
    respondBy?: string;
    repliedAt?: string;
    overdue?: true;
  }[];
}

export interface ThreadView {
  threadId: string;
  messages: ThreadEntry[];
}

export type AckStatus = 'received' | 'accepted' | 'rejected' | 'actioned';

export type ParticipantKind =
  'law-enforcement' | 'foreign-affairs' | 'social-welfare' | 'immigration' | 'labour' | 'coordination';

export interface Key {
  kid: string;
  participant: string;
  alg: string;
  status: 'active' | 'retired' | 'revoked';
  notBefore?: string;
  notAfter?: string;
  createdAt: string;
  retiredAt?: string;
  revokedAt?: string;
  revocationReason?: string;
}

export interface Participant {
  id: string;
  country: string;
  name: string;
  kind: ParticipantKind;
  contact?: Record<string, unknown>;
  status: 'active' | 'suspended';
  createdAt: string;
  updatedAt: string;
  keys: Key[];
}

export type AdminRole = 'admin' | 'country-admin' | 'auditor';

export interface IssuedToken {
  token: string;
  role: AdminRole;
  country?: string;
  expiresAt: string;
}

/** An item of the hash-chained audit record. */
export interface AuditItem {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  details?: Record<string, unknown>;
  prevHash: string;
  hash: string;
  [member: string]: unknown;
}

/** A JSON Web Key Set, as `/.well-known/jwks.json` and `/v1/participants/{id}/jwks` serve it. */
export interface Jwks {
  keys: (Record<string, unknown> & { kid?: string; kty?: string })[];
}
