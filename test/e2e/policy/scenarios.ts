import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import fc from 'fast-check';
import { RDX_SCHEMA_KEYWORDS, SchemaRegistry } from '@rdx/schema';
import {
  aboutAMinor,
  ALL_TYPES,
  allExamples,
  STANDALONE_TYPES,
  CAST,
  CAST_IDS,
  CastId,
  Data,
  example,
  mayPublish,
  SHARING_POLICY,
  TYPES,
} from '../../support/policy-cast';

/*
 * The generators and the model of policy-properties.e2e-spec.ts: the envelopes a sender may put
 * around an example, random routing scenarios (nationalities, wishes, subscriptions, named
 * recipients, suspensions), and who should receive each scenario's message.
 */

const TLPS = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
type Tlp = (typeof TLPS)[number];
export const isStrict = (tlp: Tlp) => tlp === 'amber+strict' || tlp === 'red';
export const countryOf = (id: string) => id.slice(0, 2);
export const unique = <T>(items: readonly T[]) => [...new Set(items)];
export const registry = new SchemaRegistry();
export const EXAMPLES = allExamples().filter((e) => STANDALONE_TYPES.includes(e.type));

/** The participants of the cast whose kind may publish `type`. */
export const publishersOf = (type: string) => CAST_IDS.filter((id) => mayPublish(CAST[id], type));

/** A strict JSON Schema validator, as an agency without TypeScript would run it. */
export function schemaValidators(): Map<string, ValidateFunction> {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  ajv.addVocabulary([...RDX_SCHEMA_KEYWORDS]);
  const calendarDay = (day: string) => {
    const parsed = new Date(`${day}T00:00:00Z`);
    return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === day;
  };
  ajv.addFormat('date', { validate: calendarDay });
  ajv.addFormat('date-time', { validate: (value: string) => calendarDay(value.slice(0, 10)) });
  return new Map(ALL_TYPES.map((type) => [type, ajv.compile(registry.jsonSchema(type)!)]));
}

// --- (a) envelopes ----------------------------------------------------------------------------------

interface EnvelopeVariation {
  tlp: Tlp;
  handling: string | undefined;
  named: CastId[];
  subject: string | undefined;
  timeOffsetSeconds: number;
  withContentType: boolean;
}

/** Any envelope the protocol allows around `data` from `sender`: a minor forces H2 and a strict TLP. */
function envelopeVariation(data: Data, sender: CastId): fc.Arbitrary<EnvelopeVariation> {
  const minor = aboutAMinor(data);
  const codes = fc
    .shuffledSubarray(['H0', 'H1', 'H2', 'H3'])
    .map((list) => (minor && !list.includes('H2') ? [...list, 'H2'] : list).join(' '));
  return fc.constantFrom<Tlp>(...(minor ? (['amber+strict', 'red'] as const) : TLPS)).chain((tlp) =>
    fc.record({
      tlp: fc.constant(tlp),
      handling: minor ? codes : fc.option(codes, { nil: undefined }),
      // Strict TLPs need someone named besides the sender; naming the sender too is allowed and ignored.
      named: fc
        .tuple(
          fc.shuffledSubarray(
            CAST_IDS.filter((id) => id !== sender),
            { minLength: isStrict(tlp) ? 1 : 0, maxLength: 4 },
          ),
          fc.boolean(),
        )
        .map(([others, alsoSelf]) => (alsoSelf ? [sender, ...others] : others)),
      // Any text, but NUL and unpaired surrogates, which no JSON the gateway reads may hold.
      subject: fc.option(
        fc
          .string({ unit: 'binary', maxLength: 100 })
          .filter((s) => !s.includes('\u0000') && s.isWellFormed()),
        { nil: undefined },
      ),
      timeOffsetSeconds: fc.integer({ min: -120, max: 120 }),
      withContentType: fc.boolean(),
    }),
  );
}

export const validPublication = fc
  .constantFrom(...EXAMPLES)
  .chain(({ type, index, data }) =>
    fc
      .constantFrom(...publishersOf(type))
      .chain((sender) =>
        envelopeVariation(data, sender).map((envelope) => ({ type, example: index, sender, envelope })),
      ),
  );

// --- (c) routing scenarios --------------------------------------------------------------------------

const NATIONALITIES = ['ID', 'KH', 'TH', 'MM', 'MY', 'LA', 'PH', 'VN', 'CN'];
const SOURCE_FILTERS = ['ID', 'KH', 'TH', 'MM', 'MY', 'LA', 'PH', 'KH.CNP', 'ID.KEMLU', 'TH.ATPD', 'MY.MAPO'];

interface PersonSpec {
  nationalities: string[];
  verified: string[] | undefined;
  objects: boolean;
  fears: boolean;
}

interface Subscription {
  participant: CastId;
  types: string[];
  sources: string[] | undefined;
}

export interface Scenario {
  sender: CastId;
  type: string;
  tlp: Tlp;
  named: CastId[];
  persons: PersonSpec[];
  subscriptions: Subscription[];
  /** Suspended while the message is published, reinstated right after. */
  suspended: CastId[];
}

const personSpec: fc.Arbitrary<PersonSpec> = fc.record({
  nationalities: fc.uniqueArray(fc.constantFrom(...NATIONALITIES), { minLength: 1, maxLength: 3 }),
  verified: fc.option(fc.uniqueArray(fc.constantFrom(...NATIONALITIES), { maxLength: 2 }), {
    nil: undefined,
  }),
  // A wish is the exception: one person in four objects, one in four fears persecution.
  objects: fc.nat(3).map((n) => n === 0),
  fears: fc.nat(3).map((n) => n === 0),
});

const subscriptionsOf = (participant: CastId): fc.Arbitrary<Subscription[]> =>
  fc.array(
    fc.record({
      participant: fc.constant(participant),
      types: fc.subarray(ALL_TYPES, { minLength: 1 }),
      sources: fc.option(fc.subarray(SOURCE_FILTERS, { minLength: 1, maxLength: 3 }), { nil: undefined }),
    }),
    { maxLength: 2 },
  );

export const scenario: fc.Arbitrary<Scenario> = fc.constantFrom(...STANDALONE_TYPES).chain((type) =>
  fc.constantFrom(...publishersOf(type)).chain((sender) =>
    fc.record({
      sender: fc.constant(sender),
      type: fc.constant(type),
      tlp: fc.constantFrom(...TLPS),
      named: fc.shuffledSubarray(CAST_IDS, { maxLength: 3 }),
      persons: fc.array(personSpec, { minLength: 1, maxLength: 3 }),
      subscriptions: fc.tuple(...CAST_IDS.map(subscriptionsOf)).map((lists) => lists.flat()),
      suspended: fc.shuffledSubarray(
        CAST_IDS.filter((id) => id !== sender),
        { maxLength: 2 },
      ),
    }),
  ),
);

/** The scenario's `data`: its type's first example, with the scenario's adults in place of its persons. */
export function dataOf(s: Scenario): Data {
  const data = example(s.type);
  if (data.persons === undefined) return data;
  const template = data.persons[0];
  data.persons = s.persons.map((p) => {
    const person: Record<string, unknown> = { ...template, nationalities: p.nationalities, isMinor: false };
    delete person.verifiedNationalities;
    if (p.verified !== undefined) person.verifiedNationalities = p.verified;
    if (s.type === TYPES.victim) {
      person.victimObjectsToNotification = p.objects;
      person.fearsPersecutionAtHome = p.fears;
    }
    return person;
  });
  return data;
}

export const homesOf = (p: PersonSpec) => unique([...p.nationalities, ...(p.verified ?? [])]);

/**
 * Who should receive a scenario's message, and who is withheld and for which reasons, by the rules of
 * PROTOCOL.md sections 3-5 and docs/protocol-notes.md: the named first, as given, then matching subscribers
 * in id order; never the sender; need-to-know types only to the persons' states of nationality; the
 * victim's wishes and suspensions withhold. (Which reason wins when several apply is not specified.)
 */
export function expectedRouting(
  s: Scenario,
  data: Data,
): { recipients: string[]; withheld: { participant: string; reasons: string[] }[] } {
  const needToKnow = SHARING_POLICY.needToKnow.includes(s.type);
  const persons = data.persons === undefined ? [] : s.persons;
  const homes = new Set(persons.flatMap(homesOf));
  const named = unique(s.named).filter((id) => id !== s.sender);
  const subscribers = isStrict(s.tlp)
    ? []
    : unique(
        s.subscriptions
          .filter(
            (sub) =>
              sub.participant !== s.sender &&
              sub.types.includes(s.type) &&
              (sub.sources === undefined ||
                sub.sources.includes(s.sender) ||
                sub.sources.includes(countryOf(s.sender))) &&
              (!needToKnow || homes.has(countryOf(sub.participant))),
          )
          .map((sub) => sub.participant),
      ).sort();
  const candidates = unique([...named, ...subscribers]);
  const wishes = needToKnow && s.type === TYPES.victim ? persons : [];
  const reasonsFor = (id: string) => [
    ...(s.suspended.includes(id as CastId) ? ['recipient-suspended'] : []),
    ...(wishes.some((p) => p.objects && homesOf(p).includes(countryOf(id)))
      ? ['victim-objects-to-notification']
      : []),
    ...(wishes.some((p) => p.fears && homesOf(p).includes(countryOf(id)))
      ? ['victim-fears-persecution-at-home']
      : []),
  ];
  return {
    recipients: candidates.filter((id) => reasonsFor(id).length === 0),
    withheld: candidates
      .map((participant) => ({ participant, reasons: reasonsFor(participant) }))
      .filter((w) => w.reasons.length > 0),
  };
}
