import { CastId, Data, example, TYPES } from '../../support/policy-cast';

/*
 * The rows of the sharing policy's table (policy.e2e-spec.ts): what a row states, the subscribers
 * of the cast, and the stories of the catalogue's examples that rows pick their data from.
 */

export type Reason =
  'recipient-suspended' | 'victim-objects-to-notification' | 'victim-fears-persecution-at-home';

export type Outcome =
  | { status: 202; recipients: CastId[]; withheld?: { participant: CastId; reason: Reason }[] }
  | { status: 403 | 422; problem: string; paths?: string[] };

export interface Row {
  name: string;
  from: CastId;
  type: string;
  data: () => Data;
  tlp: 'clear' | 'green' | 'amber' | 'amber+strict' | 'red';
  handling?: string;
  /** The envelope's `recipients`, as the sender writes it. */
  recipients?: string;
  /** Participants suspended while the message is published, reinstated right after. */
  whileSuspended?: CastId[];
  expect: Outcome;
}

// Everyone but PH.IACAT, MM.DSW and MY.JIM subscribes to every type, by pull; in participant id order.
export const SUBSCRIBERS: CastId[] = [
  'ID.KEMLU',
  'ID.P2MI',
  'ID.POLRI',
  'KH.CNP',
  'LA.NATC',
  'MM.CBTIP',
  'MY.MAPO',
  'TH.ATPD',
];
export const subscribersExcept = (...ids: CastId[]) => SUBSCRIBERS.filter((id) => !ids.includes(id));
export const INDONESIA: CastId[] = ['ID.KEMLU', 'ID.P2MI', 'ID.POLRI'];

export const accepted = (recipients: CastId[], withheld: { participant: CastId; reason: Reason }[] = []) =>
  ({ status: 202, recipients, withheld }) as const;
export const refused = (status: 403 | 422, problem: string, paths?: string[]) =>
  ({ status, problem, paths }) as const;
export const withheld = (reason: Reason, ...ids: CastId[]) =>
  ids.map((participant) => ({ participant, reason }));

export interface Victim {
  nationalities: string[];
  verified?: string[];
  objects?: boolean;
  fears?: boolean;
}

/** A victim identification notification about adults of the given nationalities and wishes. */
export function victims(...persons: Victim[]): Data {
  const data = example(TYPES.victim, SIHANOUKVILLE);
  const template = data.persons![0];
  data.persons = persons.map((p) => {
    const person: Record<string, unknown> = {
      ...template,
      nationalities: p.nationalities,
      victimObjectsToNotification: p.objects ?? false,
      fearsPersecutionAtHome: p.fears ?? false,
    };
    if (p.verified !== undefined) person.verifiedNationalities = p.verified;
    return person;
  });
  return data;
}

// The stories of the catalogue's examples, picked by case reference (or country) rather than by position.
export const caseRef = (ref: string) => (data: Data) => data.caseRef === ref;
/** Two Indonesians freed in a raid on a Sihanoukville scam compound (alert, notification, verification...). */
export const SIHANOUKVILLE = caseRef('KH-CNP-2026-00042');
/** A Burmese girl who escaped a Myawaddy compound to Mae Sot: a minor. */
export const MAE_SOT = caseRef('TH-ATPD-2026-0117');
/** The Myawaddy compound alert and its follow-up, naming a Cambodian boy: a minor. */
export const MYAWADDY = caseRef('TH-ATPD-2026-0098');
/** A Lao woman held in Johor, and in the verification request a Lao boy with her: a minor there. */
export const JOHOR = caseRef('MY-MAPO-2026-0311');
/** An Indonesian woman missing near Poipet, whom Indonesia asks Cambodia to find. */
export const POIPET = caseRef('ID-KEMLU/PWNI/2026/0815');
/** A Cambodian boy, 16, missing on the Samut Sakhon docks: a minor. */
export const SAMUT_SAKHON = caseRef('KH-NCCT-2026-0301');
/** A closed Cambodian case that names no one. */
export const CLOSED_CASE = caseRef('KH-NCCT-2026-0219');
export const THAILAND_2025 = (data: Data) => data.country === 'TH';
export const PHILIPPINES_Q3 = (data: Data) => data.country === 'PH';

/** A rule of the sharing policy, and the rows that show it. */
export interface Rule {
  rule: string;
  rows: Row[];
}
