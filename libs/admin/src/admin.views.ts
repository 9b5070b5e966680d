import type { AdminPrincipal } from './admin-authenticator';
import { KeyRecord, ParticipantKind, ParticipantRecord, ParticipantStatus } from '@rdx/persistence';

/** A key as administrators see it. */
export interface KeyView {
  kid: string;
  participant: string;
  alg: string;
  status: KeyRecord['status'];
  notBefore?: string;
  notAfter?: string;
  createdAt: string;
  retiredAt?: string;
  revokedAt?: string;
  revocationReason?: string;
}

/** A participant as administrators see it, with its keys. */
export interface ParticipantView {
  id: string;
  country: string;
  name: string;
  kind: ParticipantKind;
  contact?: Record<string, unknown>;
  status: ParticipantStatus;
  createdAt: string;
  updatedAt: string;
  keys: KeyView[];
}

const present = <K extends string, V>(key: K, value: V | null) =>
  (value === null ? {} : { [key]: value }) as Partial<Record<K, V>>;

export const keyView = (k: KeyRecord): KeyView => ({
  kid: k.kid,
  participant: k.participantId,
  alg: k.alg,
  status: k.status,
  ...present('notBefore', k.notBefore),
  ...present('notAfter', k.notAfter),
  createdAt: k.createdAt,
  ...present('retiredAt', k.retiredAt),
  ...present('revokedAt', k.revokedAt),
  ...present('revocationReason', k.revocationReason),
});

export const participantView = (p: ParticipantRecord, keys: readonly KeyRecord[]): ParticipantView => ({
  id: p.id,
  country: p.country,
  name: p.name,
  kind: p.kind,
  ...present('contact', p.contact),
  status: p.status,
  createdAt: p.createdAt,
  updatedAt: p.updatedAt,
  keys: keys.map(keyView),
});

/** The calling administrator as it may see itself: its token's id, its role, its country. */
export interface AdminView {
  tokenId: string;
  role: AdminPrincipal['role'];
  country?: string;
}

export const adminView = (principal: AdminPrincipal): AdminView => ({
  tokenId: principal.tokenId,
  role: principal.role,
  ...present('country', principal.country),
});
