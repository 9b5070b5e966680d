import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { MESSAGE_TYPES } from '@rdx/schema';
import { TestAgency } from '@rdx/testing';
import { GatewayClient } from './gateway-client';

/**
 * The participants of the sharing-policy scenarios: agencies of six ASEAN members and of every kind,
 * as they appear in DOMAIN.md. Keyed by participant id so that a typo in a table row does not compile.
 */
export const CAST = {
  'KH.CNP': 'law-enforcement', // Cambodian National Police, anti-trafficking department
  'ID.KEMLU': 'foreign-affairs', // Indonesia's foreign ministry, protection of citizens
  'ID.POLRI': 'law-enforcement', // Indonesian National Police
  'ID.P2MI': 'labour', // Indonesia's migrant-worker protection agency
  'TH.ATPD': 'law-enforcement', // Royal Thai Police, anti-trafficking division
  'PH.IACAT': 'coordination', // Philippine Inter-Agency Council Against Trafficking
  'MM.CBTIP': 'coordination', // Myanmar's central body for the suppression of trafficking
  'MY.MAPO': 'coordination', // Malaysia's anti-trafficking council
  'LA.NATC': 'coordination', // Lao national anti-trafficking committee
  'MM.DSW': 'social-welfare', // Myanmar's Department of Social Welfare
  'MY.JIM': 'immigration', // Immigration Department of Malaysia
} as const;

export type CastId = keyof typeof CAST;
export type Kind = (typeof CAST)[CastId];
export type Cast = Record<CastId, TestAgency>;
export const CAST_IDS = Object.keys(CAST) as CastId[];

/** Short names for the catalogue's types, so that table rows read as sentences. */
export const TYPES = {
  alert: 'org.asean.rdx.trafficking-incident-alert.v1',
  victim: 'org.asean.rdx.victim-identification-notification.v1',
  verificationRequest: 'org.asean.rdx.nationality-verification-request.v1',
  verificationResponse: 'org.asean.rdx.nationality-verification-response.v1',
  repatriation: 'org.asean.rdx.repatriation-plan.v1',
  caseStatus: 'org.asean.rdx.case-status-update.v1',
  locate: 'org.asean.rdx.locate-request.v1',
  acknowledgement: 'org.asean.rdx.acknowledgement.v1',
  statistics: 'org.asean.rdx.aggregate-statistics.v1',
} as const;

export const ALL_TYPES: string[] = MESSAGE_TYPES.map((t) => t.type);

/**
 * Types whose messages refer to a stored message (a withdrawal) or that only the gateway sends (a
 * deadline notice): they cannot be published on their own, and test/e2e/cases.e2e-spec.ts covers them.
 */
export const CASE_TYPES: readonly string[] = [
  'org.asean.rdx.withdrawal.v1',
  'org.asean.rdx.deadline-missed.v1',
];
/** The types any example of which may be published on its own. */
export const STANDALONE_TYPES: string[] = ALL_TYPES.filter((type) => !CASE_TYPES.includes(type));

export type Data = Record<string, unknown> & { persons?: Record<string, unknown>[] };

/**
 * A copy of an example of a catalogue type, valid data an agency might really send: the `pick`-th, or the
 * first that `pick` accepts.
 */
export function example(type: string, pick: number | ((data: Data) => boolean) = 0): Data {
  const examples = (MESSAGE_TYPES.find((t) => t.type === type)?.examples ?? []) as Data[];
  const found = typeof pick === 'number' ? examples[pick] : examples.find(pick);
  if (found === undefined) throw new Error(`no such example of ${type}: ${String(pick)}`);
  return structuredClone(found);
}

/** Every example of every type, with the index it has in its type. */
export function allExamples(): { type: string; index: number; data: Data }[] {
  return MESSAGE_TYPES.flatMap((t) =>
    t.examples.map((_e, index) => ({ type: t.type, index, data: example(t.type, index) })),
  );
}

/** Whether any person of `data` is a child, which obliges H2 and amber+strict or red. */
export const aboutAMinor = (data: Data) => (data.persons ?? []).some((p) => p.isMinor === true);

interface PolicyFile {
  publishers: Record<string, Kind[]>;
  needToKnow: string[];
}

/** The sharing policy the test gateways run with (test-gateway.ts points them at this file). */
export const SHARING_POLICY: PolicyFile = JSON.parse(
  readFileSync(resolve(__dirname, '../../config/sharing-policy.json'), 'utf8'),
) as PolicyFile;

export const mayPublish = (kind: Kind, type: string) =>
  SHARING_POLICY.publishers[type]?.includes(kind) ?? false;

/** Registers every agency of the cast with a key of its own; subscribes none. */
export async function registerCast(client: GatewayClient): Promise<Cast> {
  const cast = {} as Cast;
  for (const id of CAST_IDS) {
    cast[id] = await TestAgency.create(id, CAST[id]);
    await client.register(cast[id]);
  }
  return cast;
}

/** Suspends or reinstates a participant, as an administrator does. */
export async function setParticipantStatus(
  client: GatewayClient,
  id: CastId,
  status: 'active' | 'suspended',
): Promise<void> {
  const reply = await client.admin('PATCH', `/v1/admin/participants/${id}`, { status });
  if (reply.status !== 200) throw new Error(`${status} ${id}: ${reply.status} ${JSON.stringify(reply.body)}`);
}
