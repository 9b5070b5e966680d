import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { GatewayClient, Reply } from '../support/gateway-client';
import { InboxLedger } from '../support/inbox-ledger';
import {
  ALL_TYPES,
  Cast,
  CAST,
  CAST_IDS,
  CastId,
  Data,
  example,
  Kind,
  mayPublish,
  registerCast,
  setParticipantStatus,
  TYPES,
} from '../support/policy-cast';
import { BACKENDS, startTestGateway, TestGateway } from '../support/test-gateway';

/**
 * The sharing policy, rule by rule, as a table: each row publishes one message through HTTP and states
 * what the sender is told (status, recipients, withheld and why) and who finds it in their inbox.
 */

type Reason = 'recipient-suspended' | 'victim-objects-to-notification' | 'victim-fears-persecution-at-home';

type Outcome =
  | { status: 202; recipients: CastId[]; withheld?: { participant: CastId; reason: Reason }[] }
  | { status: 403 | 422; problem: string; paths?: string[] };

interface Row {
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
const SUBSCRIBERS: CastId[] = [
  'ID.KEMLU',
  'ID.P2MI',
  'ID.POLRI',
  'KH.CNP',
  'LA.NATC',
  'MM.CBTIP',
  'MY.MAPO',
  'TH.ATPD',
];
const subscribersExcept = (...ids: CastId[]) => SUBSCRIBERS.filter((id) => !ids.includes(id));
const INDONESIA: CastId[] = ['ID.KEMLU', 'ID.P2MI', 'ID.POLRI'];

const accepted = (recipients: CastId[], withheld: { participant: CastId; reason: Reason }[] = []) =>
  ({ status: 202, recipients, withheld }) as const;
const refused = (status: 403 | 422, problem: string, paths?: string[]) =>
  ({ status, problem, paths }) as const;
const withheld = (reason: Reason, ...ids: CastId[]) => ids.map((participant) => ({ participant, reason }));

interface Victim {
  nationalities: string[];
  verified?: string[];
  objects?: boolean;
  fears?: boolean;
}

/** A victim identification notification about adults of the given nationalities and wishes. */
function victims(...persons: Victim[]): Data {
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
const caseRef = (ref: string) => (data: Data) => data.caseRef === ref;
/** Two Indonesians freed in a raid on a Sihanoukville scam compound (alert, notification, verification...). */
const SIHANOUKVILLE = caseRef('KH-CNP-2026-00042');
/** A Burmese girl who escaped a Myawaddy compound to Mae Sot: a minor. */
const MAE_SOT = caseRef('TH-ATPD-2026-0117');
/** The Myawaddy compound alert and its follow-up, naming a Cambodian boy: a minor. */
const MYAWADDY = caseRef('TH-ATPD-2026-0098');
/** A Lao woman held in Johor, and in the verification request a Lao boy with her: a minor there. */
const JOHOR = caseRef('MY-MAPO-2026-0311');
/** An Indonesian woman missing near Poipet, whom Indonesia asks Cambodia to find. */
const POIPET = caseRef('ID-KEMLU/PWNI/2026/0815');
/** A Cambodian boy, 16, missing on the Samut Sakhon docks: a minor. */
const SAMUT_SAKHON = caseRef('KH-NCCT-2026-0301');
/** A closed Cambodian case that names no one. */
const CLOSED_CASE = caseRef('KH-NCCT-2026-0219');
const THAILAND_2025 = (data: Data) => data.country === 'TH';
const PHILIPPINES_Q3 = (data: Data) => data.country === 'PH';

const RULES: { rule: string; rows: Row[] }[] = [
  {
    rule: 'clear, green and amber go to the named recipients, then to every subscriber',
    rows: [
      {
        name: 'a clear incident alert from Cambodian police reaches every subscriber but the police',
        from: 'KH.CNP',
        type: TYPES.alert,
        data: () => example(TYPES.alert, SIHANOUKVILLE),
        tlp: 'clear',
        expect: accepted(subscribersExcept('KH.CNP')),
      },
      {
        name: 'a green alert naming PH.IACAT and TH.ATPD lists them first, as given, then the other subscribers',
        from: 'KH.CNP',
        type: TYPES.alert,
        data: () => example(TYPES.alert, SIHANOUKVILLE),
        tlp: 'green',
        recipients: 'PH.IACAT TH.ATPD',
        expect: accepted(['PH.IACAT', 'TH.ATPD', ...subscribersExcept('KH.CNP', 'TH.ATPD')]),
      },
      {
        name: 'an amber alert naming its own sender leaves the sender out',
        from: 'KH.CNP',
        type: TYPES.alert,
        data: () => example(TYPES.alert, SIHANOUKVILLE),
        tlp: 'amber',
        recipients: 'KH.CNP',
        expect: accepted(subscribersExcept('KH.CNP')),
      },
      {
        name: 'a case status update about an Indonesian is not need-to-know: it reaches Thai police too',
        from: 'ID.P2MI',
        type: TYPES.caseStatus,
        data: () => example(TYPES.caseStatus, SIHANOUKVILLE),
        tlp: 'green',
        expect: accepted(subscribersExcept('ID.P2MI')),
      },
      {
        name: 'a case status update from a participant that subscribes to nothing reaches every subscriber',
        from: 'PH.IACAT',
        type: TYPES.caseStatus,
        data: () => example(TYPES.caseStatus, CLOSED_CASE),
        tlp: 'amber',
        expect: accepted(SUBSCRIBERS),
      },
      {
        name: "an amber acknowledgement from Indonesia's foreign ministry",
        from: 'ID.KEMLU',
        type: TYPES.acknowledgement,
        data: () => example(TYPES.acknowledgement, SIHANOUKVILLE),
        tlp: 'amber',
        expect: accepted(subscribersExcept('ID.KEMLU')),
      },
      {
        name: "Thai police's clear yearly statistics",
        from: 'TH.ATPD',
        type: TYPES.statistics,
        data: () => example(TYPES.statistics, THAILAND_2025),
        tlp: 'clear',
        expect: accepted(subscribersExcept('TH.ATPD')),
      },
    ],
  },
  {
    rule: 'amber+strict and red go only to the named recipients, never to subscribers',
    rows: [
      {
        name: 'an amber+strict incident alert',
        from: 'KH.CNP',
        type: TYPES.alert,
        data: () => example(TYPES.alert, SIHANOUKVILLE),
        tlp: 'amber+strict',
        recipients: 'TH.ATPD PH.IACAT',
        expect: accepted(['TH.ATPD', 'PH.IACAT']),
      },
      {
        name: 'a red victim notification reaches the foreign ministry, not the subscribing Indonesian police',
        from: 'KH.CNP',
        type: TYPES.victim,
        data: () => example(TYPES.victim, SIHANOUKVILLE),
        tlp: 'red',
        handling: 'H2',
        recipients: 'ID.KEMLU',
        expect: accepted(['ID.KEMLU']),
      },
      {
        name: 'an amber+strict nationality verification request',
        from: 'KH.CNP',
        type: TYPES.verificationRequest,
        data: () => example(TYPES.verificationRequest, SIHANOUKVILLE),
        tlp: 'amber+strict',
        recipients: 'ID.KEMLU',
        expect: accepted(['ID.KEMLU']),
      },
      {
        name: 'a red nationality verification response',
        from: 'ID.KEMLU',
        type: TYPES.verificationResponse,
        data: () => example(TYPES.verificationResponse, SIHANOUKVILLE),
        tlp: 'red',
        recipients: 'KH.CNP',
        expect: accepted(['KH.CNP']),
      },
      {
        name: 'an amber+strict repatriation proposal',
        from: 'ID.KEMLU',
        type: TYPES.repatriation,
        data: () => example(TYPES.repatriation, SIHANOUKVILLE),
        tlp: 'amber+strict',
        recipients: 'KH.CNP ID.P2MI',
        expect: accepted(['KH.CNP', 'ID.P2MI']),
      },
      {
        name: 'a red case status update',
        from: 'ID.P2MI',
        type: TYPES.caseStatus,
        data: () => example(TYPES.caseStatus, SIHANOUKVILLE),
        tlp: 'red',
        recipients: 'KH.CNP',
        expect: accepted(['KH.CNP']),
      },
      {
        name: 'an amber+strict locate request',
        from: 'ID.KEMLU',
        type: TYPES.locate,
        data: () => example(TYPES.locate, POIPET),
        tlp: 'amber+strict',
        recipients: 'KH.CNP TH.ATPD',
        expect: accepted(['KH.CNP', 'TH.ATPD']),
      },
      {
        name: 'a red acknowledgement',
        from: 'LA.NATC',
        type: TYPES.acknowledgement,
        data: () => example(TYPES.acknowledgement, JOHOR),
        tlp: 'red',
        recipients: 'MY.MAPO',
        expect: accepted(['MY.MAPO']),
      },
      {
        name: 'amber+strict statistics',
        from: 'PH.IACAT',
        type: TYPES.statistics,
        data: () => example(TYPES.statistics, PHILIPPINES_Q3),
        tlp: 'amber+strict',
        recipients: 'MY.MAPO MM.CBTIP',
        expect: accepted(['MY.MAPO', 'MM.CBTIP']),
      },
      {
        name: 'a recipient named twice is listed once',
        from: 'KH.CNP',
        type: TYPES.alert,
        data: () => example(TYPES.alert, SIHANOUKVILLE),
        tlp: 'amber+strict',
        recipients: 'PH.IACAT PH.IACAT MY.MAPO',
        expect: accepted(['PH.IACAT', 'MY.MAPO']),
      },
      {
        name: 'a red alert naming no one is refused',
        from: 'KH.CNP',
        type: TYPES.alert,
        data: () => example(TYPES.alert, SIHANOUKVILLE),
        tlp: 'red',
        expect: refused(422, 'recipients-required'),
      },
      {
        name: 'an amber+strict alert naming only its sender is refused',
        from: 'KH.CNP',
        type: TYPES.alert,
        data: () => example(TYPES.alert, SIHANOUKVILLE),
        tlp: 'amber+strict',
        recipients: 'KH.CNP',
        expect: refused(422, 'recipients-required'),
      },
    ],
  },
  {
    rule: "need-to-know types go only to the persons' states of nationality, claimed or verified, and to named recipients",
    rows: [
      {
        name: 'a victim notification about two Indonesians reaches the Indonesian subscribers only',
        from: 'KH.CNP',
        type: TYPES.victim,
        data: () => example(TYPES.victim, SIHANOUKVILLE),
        tlp: 'amber',
        expect: accepted(INDONESIA),
      },
      {
        name: 'a victim notification about an Indonesian and a Burmese reaches both states',
        from: 'KH.CNP',
        type: TYPES.victim,
        data: () => victims({ nationalities: ['ID'] }, { nationalities: ['MM'] }),
        tlp: 'green',
        expect: accepted([...INDONESIA, 'MM.CBTIP']),
      },
      {
        name: 'a verified nationality counts as much as a claimed one',
        from: 'KH.CNP',
        type: TYPES.victim,
        data: () => victims({ nationalities: ['TH'], verified: ['MY'] }),
        tlp: 'amber',
        expect: accepted(['MY.MAPO', 'TH.ATPD']),
      },
      {
        name: 'a named recipient outside the home state receives it too',
        from: 'KH.CNP',
        type: TYPES.victim,
        data: () => example(TYPES.victim, SIHANOUKVILLE),
        tlp: 'amber',
        recipients: 'PH.IACAT',
        expect: accepted(['PH.IACAT', ...INDONESIA]),
      },
      {
        name: 'Thai police notifying about a Cambodian reach Cambodian police only',
        from: 'TH.ATPD',
        type: TYPES.victim,
        data: () => victims({ nationalities: ['KH'] }),
        tlp: 'amber',
        expect: accepted(['KH.CNP']),
      },
      {
        name: 'a victim of a state with no participant is notified to no one, never broadcast',
        from: 'KH.CNP',
        type: TYPES.victim,
        data: () => victims({ nationalities: ['CN'] }),
        tlp: 'amber',
        expect: accepted([]),
      },
      {
        name: 'a nationality verification request about Indonesians',
        from: 'KH.CNP',
        type: TYPES.verificationRequest,
        data: () => example(TYPES.verificationRequest, SIHANOUKVILLE),
        tlp: 'green',
        expect: accepted(INDONESIA),
      },
      {
        name: "Indonesia's verification response to Cambodian police, and to Indonesia's other subscribers",
        from: 'ID.KEMLU',
        type: TYPES.verificationResponse,
        data: () => example(TYPES.verificationResponse, SIHANOUKVILLE),
        tlp: 'amber',
        recipients: 'KH.CNP',
        expect: accepted(['KH.CNP', 'ID.P2MI', 'ID.POLRI']),
      },
      {
        name: "Malaysia's repatriation request for a Lao woman reaches Laos only",
        from: 'MY.MAPO',
        type: TYPES.repatriation,
        data: () => example(TYPES.repatriation, JOHOR),
        tlp: 'amber',
        expect: accepted(['LA.NATC']),
      },
      {
        name: "Indonesia's locate request to Cambodian police, and to Indonesia's other subscribers",
        from: 'ID.KEMLU',
        type: TYPES.locate,
        data: () => example(TYPES.locate, POIPET),
        tlp: 'amber',
        recipients: 'KH.CNP',
        expect: accepted(['KH.CNP', 'ID.P2MI', 'ID.POLRI']),
      },
    ],
  },
  {
    rule: "the victim's wishes withhold the message from the home state, and the receipt says why",
    rows: [
      {
        name: 'an Indonesian who objects to notification',
        from: 'KH.CNP',
        type: TYPES.victim,
        data: () => victims({ nationalities: ['ID'], objects: true }),
        tlp: 'amber',
        expect: accepted([], withheld('victim-objects-to-notification', ...INDONESIA)),
      },
      {
        name: 'an Indonesian who fears persecution at home',
        from: 'KH.CNP',
        type: TYPES.victim,
        data: () => victims({ nationalities: ['ID'], fears: true }),
        tlp: 'amber',
        expect: accepted([], withheld('victim-fears-persecution-at-home', ...INDONESIA)),
      },
      {
        name: 'the objection withholds it from a named recipient of the home state too',
        from: 'KH.CNP',
        type: TYPES.victim,
        data: () => victims({ nationalities: ['ID'], objects: true }),
        tlp: 'red',
        handling: 'H2',
        recipients: 'ID.KEMLU',
        expect: accepted([], withheld('victim-objects-to-notification', 'ID.KEMLU')),
      },
      {
        name: 'a named recipient outside the home state still receives it',
        from: 'KH.CNP',
        type: TYPES.victim,
        data: () => victims({ nationalities: ['ID'], objects: true }),
        tlp: 'amber',
        recipients: 'PH.IACAT',
        expect: accepted(['PH.IACAT'], withheld('victim-objects-to-notification', ...INDONESIA)),
      },
      {
        name: "one victim's objection does not hold back the notification of another victim's state",
        from: 'KH.CNP',
        type: TYPES.victim,
        data: () => victims({ nationalities: ['ID'], objects: true }, { nationalities: ['MM'] }),
        tlp: 'amber',
        expect: accepted(['MM.CBTIP'], withheld('victim-objects-to-notification', ...INDONESIA)),
      },
      {
        name: 'one objecting Indonesian withholds it from Indonesia even when another Indonesian does not object',
        from: 'KH.CNP',
        type: TYPES.victim,
        data: () => victims({ nationalities: ['ID'] }, { nationalities: ['ID'], objects: true }),
        tlp: 'amber',
        expect: accepted([], withheld('victim-objects-to-notification', ...INDONESIA)),
      },
      {
        name: 'a claimed and verified Lao national who fears persecution at home',
        from: 'KH.CNP',
        type: TYPES.victim,
        data: () => victims({ nationalities: ['LA'], verified: ['LA'], fears: true }),
        tlp: 'amber',
        expect: accepted([], withheld('victim-fears-persecution-at-home', 'LA.NATC')),
      },
      {
        name: 'a fear of persecution withholds it from the verified nationality as well as the claimed one',
        from: 'KH.CNP',
        type: TYPES.victim,
        data: () => victims({ nationalities: ['TH'], verified: ['MY'], fears: true }),
        tlp: 'amber',
        expect: accepted([], withheld('victim-fears-persecution-at-home', 'MY.MAPO', 'TH.ATPD')),
      },
      {
        name: 'a dual national who objects: both states are withheld',
        from: 'KH.CNP',
        type: TYPES.victim,
        data: () => victims({ nationalities: ['ID', 'MY'], objects: true }),
        tlp: 'amber',
        expect: accepted([], withheld('victim-objects-to-notification', ...INDONESIA, 'MY.MAPO')),
      },
    ],
  },
  {
    rule: 'a message about a minor must carry H2 and amber+strict or red',
    rows: [
      {
        name: 'a Burmese girl, amber with H2: refused, naming tlp',
        from: 'TH.ATPD',
        type: TYPES.victim,
        data: () => example(TYPES.victim, MAE_SOT),
        tlp: 'amber',
        handling: 'H2',
        expect: refused(422, 'invalid-fields', ['tlp']),
      },
      {
        name: 'a Burmese girl, red without handling: refused, naming handling',
        from: 'TH.ATPD',
        type: TYPES.victim,
        data: () => example(TYPES.victim, MAE_SOT),
        tlp: 'red',
        recipients: 'MM.CBTIP',
        expect: refused(422, 'invalid-fields', ['handling']),
      },
      {
        name: 'a Burmese girl, green with H0 H1: refused, naming both',
        from: 'TH.ATPD',
        type: TYPES.victim,
        data: () => example(TYPES.victim, MAE_SOT),
        tlp: 'green',
        handling: 'H0 H1',
        expect: refused(422, 'invalid-fields', ['handling', 'tlp']),
      },
      {
        name: 'a Burmese girl, red with H2: accepted, for the named recipient only',
        from: 'TH.ATPD',
        type: TYPES.victim,
        data: () => example(TYPES.victim, MAE_SOT),
        tlp: 'red',
        handling: 'H2',
        recipients: 'MM.CBTIP',
        expect: accepted(['MM.CBTIP']),
      },
      {
        name: 'an incident alert naming a Cambodian boy, amber+strict with H1 only: refused, naming handling',
        from: 'TH.ATPD',
        type: TYPES.alert,
        data: () => example(TYPES.alert, MYAWADDY),
        tlp: 'amber+strict',
        handling: 'H1',
        recipients: 'KH.CNP',
        expect: refused(422, 'invalid-fields', ['handling']),
      },
      {
        name: 'a verification request about a Lao boy, amber with H2: refused, naming tlp',
        from: 'MY.MAPO',
        type: TYPES.verificationRequest,
        data: () => example(TYPES.verificationRequest, JOHOR),
        tlp: 'amber',
        handling: 'H2',
        expect: refused(422, 'invalid-fields', ['tlp']),
      },
      {
        name: "a Burmese girl's repatriation, green without handling: refused, naming both",
        from: 'TH.ATPD',
        type: TYPES.repatriation,
        data: () => example(TYPES.repatriation, MAE_SOT),
        tlp: 'green',
        expect: refused(422, 'invalid-fields', ['handling', 'tlp']),
      },
      {
        name: "a Burmese girl's repatriation, amber+strict with H0 H2: accepted",
        from: 'TH.ATPD',
        type: TYPES.repatriation,
        data: () => example(TYPES.repatriation, MAE_SOT),
        tlp: 'amber+strict',
        handling: 'H0 H2',
        recipients: 'MM.CBTIP',
        expect: accepted(['MM.CBTIP']),
      },
      {
        name: 'a case status update naming a Cambodian boy, amber+strict with H2: accepted',
        from: 'TH.ATPD',
        type: TYPES.caseStatus,
        data: () => example(TYPES.caseStatus, MYAWADDY),
        tlp: 'amber+strict',
        handling: 'H2',
        recipients: 'KH.CNP',
        expect: accepted(['KH.CNP']),
      },
      {
        name: 'a locate request for a Cambodian boy, amber with H0: refused, naming both',
        from: 'KH.CNP',
        type: TYPES.locate,
        data: () => example(TYPES.locate, SAMUT_SAKHON),
        tlp: 'amber',
        handling: 'H0',
        expect: refused(422, 'invalid-fields', ['handling', 'tlp']),
      },
    ],
  },
  {
    rule: 'only the kinds config/sharing-policy.json lists may publish a type',
    rows: [
      {
        name: 'police cannot answer for a state of nationality (verification response)',
        from: 'KH.CNP',
        type: TYPES.verificationResponse,
        data: () => example(TYPES.verificationResponse, SIHANOUKVILLE),
        tlp: 'amber',
        expect: refused(403, 'publish-not-allowed'),
      },
      {
        name: 'a foreign ministry does not publish incident alerts',
        from: 'ID.KEMLU',
        type: TYPES.alert,
        data: () => example(TYPES.alert, SIHANOUKVILLE),
        tlp: 'amber',
        expect: refused(403, 'publish-not-allowed'),
      },
      {
        name: 'a foreign ministry does not publish victim notifications',
        from: 'ID.KEMLU',
        type: TYPES.victim,
        data: () => example(TYPES.victim, SIHANOUKVILLE),
        tlp: 'amber',
        expect: refused(403, 'publish-not-allowed'),
      },
      {
        name: 'a foreign ministry does not publish statistics',
        from: 'ID.KEMLU',
        type: TYPES.statistics,
        data: () => example(TYPES.statistics, THAILAND_2025),
        tlp: 'clear',
        expect: refused(403, 'publish-not-allowed'),
      },
      {
        name: 'a labour agency does not request nationality verification',
        from: 'ID.P2MI',
        type: TYPES.verificationRequest,
        data: () => example(TYPES.verificationRequest, SIHANOUKVILLE),
        tlp: 'amber',
        expect: refused(403, 'publish-not-allowed'),
      },
      {
        name: 'a social-welfare ministry does not send locate requests',
        from: 'MM.DSW',
        type: TYPES.locate,
        data: () => example(TYPES.locate, POIPET),
        tlp: 'amber+strict',
        recipients: 'TH.ATPD',
        expect: refused(403, 'publish-not-allowed'),
      },
      {
        name: 'an immigration service does not publish statistics',
        from: 'MY.JIM',
        type: TYPES.statistics,
        data: () => example(TYPES.statistics, THAILAND_2025),
        tlp: 'green',
        expect: refused(403, 'publish-not-allowed'),
      },
      {
        name: 'the policy is checked before the data: an alert from a foreign ministry with empty data',
        from: 'ID.KEMLU',
        type: TYPES.alert,
        data: () => ({}),
        tlp: 'amber',
        expect: refused(403, 'publish-not-allowed'),
      },
    ],
  },
  {
    rule: 'named recipients must be participants',
    rows: [
      {
        name: 'an unknown participant after a known one',
        from: 'KH.CNP',
        type: TYPES.alert,
        data: () => example(TYPES.alert, SIHANOUKVILLE),
        tlp: 'amber',
        recipients: 'ID.KEMLU VN.MPS',
        expect: refused(422, 'unknown-recipient', ['recipients[1]']),
      },
      {
        name: 'an unknown participant on a red victim notification',
        from: 'KH.CNP',
        type: TYPES.victim,
        data: () => example(TYPES.victim, SIHANOUKVILLE),
        tlp: 'red',
        recipients: 'VN.MPS ID.KEMLU',
        expect: refused(422, 'unknown-recipient', ['recipients[0]']),
      },
      {
        name: 'an unknown participant after the sender itself',
        from: 'KH.CNP',
        type: TYPES.alert,
        data: () => example(TYPES.alert, SIHANOUKVILLE),
        tlp: 'amber+strict',
        recipients: 'KH.CNP BN.NCTIP',
        expect: refused(422, 'unknown-recipient', ['recipients[1]']),
      },
      {
        name: 'two unknown participants, each named',
        from: 'KH.CNP',
        type: TYPES.alert,
        data: () => example(TYPES.alert, SIHANOUKVILLE),
        tlp: 'amber',
        recipients: 'SG.SPF TH.ATPD VN.MPS',
        expect: refused(422, 'unknown-recipient', ['recipients[0]', 'recipients[2]']),
      },
      {
        name: 'a recipient that is not even a participant id (not an ASEAN member)',
        from: 'KH.CNP',
        type: TYPES.alert,
        data: () => example(TYPES.alert, SIHANOUKVILLE),
        tlp: 'amber',
        recipients: 'TH.ATPD CN.MPS',
        expect: refused(422, 'invalid-fields', ['recipients[1]']),
      },
    ],
  },
  {
    rule: 'a suspended recipient is withheld',
    rows: [
      {
        name: 'a suspended named recipient of an amber+strict alert',
        from: 'KH.CNP',
        type: TYPES.alert,
        data: () => example(TYPES.alert, SIHANOUKVILLE),
        tlp: 'amber+strict',
        recipients: 'LA.NATC PH.IACAT',
        whileSuspended: ['LA.NATC'],
        expect: accepted(['PH.IACAT'], withheld('recipient-suspended', 'LA.NATC')),
      },
      {
        name: 'a suspended subscriber of green statistics',
        from: 'TH.ATPD',
        type: TYPES.statistics,
        data: () => example(TYPES.statistics, THAILAND_2025),
        tlp: 'green',
        whileSuspended: ['LA.NATC'],
        expect: accepted(subscribersExcept('TH.ATPD', 'LA.NATC'), withheld('recipient-suspended', 'LA.NATC')),
      },
      {
        name: 'a suspended home state of a need-to-know repatriation request',
        from: 'MY.MAPO',
        type: TYPES.repatriation,
        data: () => example(TYPES.repatriation, JOHOR),
        tlp: 'amber',
        whileSuspended: ['LA.NATC'],
        expect: accepted([], withheld('recipient-suspended', 'LA.NATC')),
      },
    ],
  },
];

const problemType = (name: string) => `urn:rdx:problem:${name}`;
const pathsOf = (reply: Reply) =>
  ((reply.body?.errors ?? []) as { path: string }[]).map((e) => e.path).sort();

describe.each(BACKENDS)('the sharing policy, through HTTP (%s)', (backend) => {
  let gateway: TestGateway;
  let client: GatewayClient;
  let cast: Cast;
  let ledger: InboxLedger;
  let gatewayKeys: JSONWebKeySet;
  /** Every accepted message and the recipients its receipt named: nothing else may reach an inbox. */
  const routed = new Map<string, string[]>();

  beforeAll(async () => {
    gateway = await startTestGateway(backend);
    client = new GatewayClient(gateway);
    cast = await registerCast(client);
    for (const id of SUBSCRIBERS) {
      const made = await client.subscribe(cast[id], ALL_TYPES);
      if (made.status !== 201)
        throw new Error(`subscribe ${id}: ${made.status} ${JSON.stringify(made.body)}`);
    }
    ledger = new InboxLedger(client, Object.values(cast));
    gatewayKeys = (await client.request('GET', '/.well-known/jwks.json')).body as JSONWebKeySet;
  });

  afterAll(() => gateway.close());

  /** Publishes while the row's participants are suspended, and reinstates them whatever happens. */
  async function publishWhileSuspended(ids: CastId[], jws: string): Promise<Reply> {
    for (const id of ids) await setParticipantStatus(client, id, 'suspended');
    try {
      return await client.publish(jws);
    } finally {
      for (const id of ids) await setParticipantStatus(client, id, 'active');
    }
  }

  async function play(row: Row): Promise<void> {
    const sender = cast[row.from];
    const { jws, envelope } = await sender.signMessage({
      type: row.type,
      data: row.data(),
      tlp: row.tlp,
      ...(row.handling === undefined ? {} : { handling: row.handling }),
      ...(row.recipients === undefined ? {} : { recipients: row.recipients }),
    });
    const messageId = envelope.id as string;
    const reply = await publishWhileSuspended(row.whileSuspended ?? [], jws);

    if (row.expect.status !== 202) {
      expect({ status: reply.status, type: reply.body?.type }).toEqual({
        status: row.expect.status,
        type: problemType(row.expect.problem),
      });
      if (row.expect.paths !== undefined) expect(pathsOf(reply)).toEqual([...row.expect.paths].sort());
      expect((await client.admin('GET', `/v1/messages/${messageId}`)).status).toBe(404);
      return;
    }

    const expected = { recipients: row.expect.recipients, withheld: row.expect.withheld ?? [] };
    expect({
      status: reply.status,
      recipients: reply.body.recipients,
      withheld: reply.body.withheld,
    }).toEqual({
      status: 202,
      ...expected,
    });
    routed.set(messageId, reply.body.recipients as string[]);

    // The signed receipt says the same as the body.
    const receipt = await compactVerify(reply.body.receipt as string, createLocalJWKSet(gatewayKeys));
    expect(JSON.parse(Buffer.from(receipt.payload).toString())).toMatchObject(expected);

    // Each recipient pulls it exactly once; no one else has it.
    const holders = await ledger.awaitDelivery(messageId, expected.recipients);
    expect(holders.sort()).toEqual([...expected.recipients].sort());

    // The sender sees the same recipients, each delivered, and the same withheld.
    const status = await client.as(sender, 'GET', `/v1/messages/${messageId}`);
    expect(status.body).toMatchObject({
      recipients: expected.recipients.map((participant) => ({ participant, delivery: 'delivered' })),
      withheld: expected.withheld,
    });
  }

  describe.each(RULES)('$rule', ({ rows }) => {
    it.each(rows)('$name', (row) => play(row));
  });

  describe('the publishing matrix of config/sharing-policy.json, for every type and every kind', () => {
    const senderOfKind = (kind: Kind): CastId => CAST_IDS.find((id) => CAST[id] === kind)!;
    const kinds = [...new Set(Object.values(CAST))];

    it.each(ALL_TYPES)('%s: 202 for the kinds listed, 403 for the others', async (type) => {
      const outcomes: Record<string, number> = {};
      const expected: Record<string, number> = {};
      for (const kind of kinds) {
        const sender = senderOfKind(kind);
        const { jws, envelope } = await cast[sender].signMessage({
          type,
          data: example(type),
          tlp: 'red',
          handling: 'H2',
          recipients: sender === 'PH.IACAT' ? 'MY.MAPO' : 'PH.IACAT',
        });
        const reply = await client.publish(jws);
        outcomes[kind] = reply.status;
        expected[kind] = mayPublish(kind, type) ? 202 : 403;
        if (reply.status === 202) routed.set(envelope.id as string, reply.body.recipients as string[]);
        else expect(reply.body.type).toBe(problemType('publish-not-allowed'));
      }
      expect(outcomes).toEqual(expected);
    });
  });

  describe('found by these tests, and fixed', () => {
    it('an unknown recipient after a duplicated one is named by its position in the list as sent', () =>
      play({
        name: 'recipients "ID.KEMLU ID.KEMLU VN.MPS": VN.MPS is the third entry',
        from: 'KH.CNP',
        type: TYPES.alert,
        data: () => example(TYPES.alert, SIHANOUKVILLE),
        tlp: 'amber',
        recipients: 'ID.KEMLU ID.KEMLU VN.MPS',
        expect: refused(422, 'unknown-recipient', ['recipients[2]']),
      }));
  });

  describe('after every row', () => {
    it('delivered nothing to anyone that a receipt did not name, and everything to everyone it named', async () => {
      await ledger.awaitAll(routed);
      // A stray delivery, routed late, would have had time to land by now.
      await new Promise((r) => setTimeout(r, 300));
      await ledger.refreshAll();
      for (const id of CAST_IDS) {
        const items = ledger.itemsOf(id);
        expect(items.map((item) => item.seq)).toEqual(items.map((_item, i) => i + 1));
        const strays = items.filter((item) => !(routed.get(item.messageId) ?? []).includes(id));
        expect({ id, strays: strays.map((s) => `${s.type} ${s.messageId}`) }).toEqual({ id, strays: [] });
      }
      for (const [messageId, recipients] of routed) {
        expect({ messageId, holders: ledger.holders(messageId).sort() }).toEqual({
          messageId,
          holders: [...recipients].sort(),
        });
      }
    });
  });
});
