import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import fc from 'fast-check';
import { RDX_SCHEMA_KEYWORDS, SchemaRegistry } from '@rdx/schema';
import { GatewayClient, Reply } from '../support/gateway-client';
import { InboxLedger } from '../support/inbox-ledger';
import {
  aboutAMinor,
  ALL_TYPES,
  allExamples,
  Cast,
  CAST,
  CAST_IDS,
  CastId,
  Data,
  example,
  mayPublish,
  registerCast,
  setParticipantStatus,
  SHARING_POLICY,
  TYPES,
} from '../support/policy-cast';
import { mutationOf } from '../support/schema-mutations';
import { Backend, startTestGateway, TestGateway } from '../support/test-gateway';

/**
 * Properties of publishing and routing, checked with fast-check against a real gateway through HTTP.
 * On a failure fast-check prints the seed and the shrunk counterexample; rerun it with
 * `fc.assert(..., { seed, path })`.
 */

const TLPS = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
type Tlp = (typeof TLPS)[number];
const isStrict = (tlp: Tlp) => tlp === 'amber+strict' || tlp === 'red';
const countryOf = (id: string) => id.slice(0, 2);
const unique = <T>(items: readonly T[]) => [...new Set(items)];
const registry = new SchemaRegistry();
const EXAMPLES = allExamples();

/** The participants of the cast whose kind may publish `type`. */
const publishersOf = (type: string) => CAST_IDS.filter((id) => mayPublish(CAST[id], type));

/** A strict JSON Schema validator, as an agency without TypeScript would run it. */
function schemaValidators(): Map<string, ValidateFunction> {
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
      subject: fc.option(fc.string({ unit: 'binary', maxLength: 100 }), { nil: undefined }),
      timeOffsetSeconds: fc.integer({ min: -120, max: 120 }),
      withContentType: fc.boolean(),
    }),
  );
}

const validPublication = fc
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

interface Scenario {
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

const scenario: fc.Arbitrary<Scenario> = fc.constantFrom(...ALL_TYPES).chain((type) =>
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
function dataOf(s: Scenario): Data {
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

const homesOf = (p: PersonSpec) => unique([...p.nationalities, ...(p.verified ?? [])]);

/**
 * Who should receive a scenario's message, and who is withheld and for which reasons, by the rules of
 * PROTOCOL.md sections 3-5 and docs/protocol-notes.md: the named first, as given, then matching subscribers
 * in id order; never the sender; need-to-know types only to the persons' states of nationality; the
 * victim's wishes and suspensions withhold. (Which reason wins when several apply is not specified.)
 */
function expectedRouting(
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

// --- the properties -----------------------------------------------------------------------------------

const RUNS: [Backend, { envelopes: number; mutations: number; routing: number }][] = [
  ['embedded', { envelopes: 50, mutations: 90, routing: 50 }],
  ['production', { envelopes: 15, mutations: 25, routing: 15 }],
];

describe.each(RUNS)('properties of publishing and routing (%s)', (backend, runs) => {
  let gateway: TestGateway;
  let client: GatewayClient;
  let cast: Cast;
  let ledger: InboxLedger;
  const routed = new Map<string, string[]>();
  const validators = schemaValidators();

  beforeAll(async () => {
    gateway = await startTestGateway(backend);
    client = new GatewayClient(gateway);
    cast = await registerCast(client);
    ledger = new InboxLedger(client, Object.values(cast));
  });

  afterAll(() => gateway.close());

  it('accepts every example of every type, in any valid envelope, from a sender whose kind may publish it', async () => {
    await fc.assert(
      fc.asyncProperty(validPublication, async ({ type, example: index, sender, envelope }) => {
        const { jws, envelope: sent } = await cast[sender].signMessage({
          type,
          data: example(type, index),
          tlp: envelope.tlp,
          time: new Date(Date.now() + envelope.timeOffsetSeconds * 1000).toISOString(),
          ...(envelope.handling === undefined ? {} : { handling: envelope.handling }),
          ...(envelope.named.length === 0 ? {} : { recipients: envelope.named.join(' ') }),
          ...(envelope.subject === undefined ? {} : { subject: envelope.subject }),
        });
        if (!envelope.withContentType) delete sent.datacontenttype;
        const reply = await client.publish(envelope.withContentType ? jws : await cast[sender].sign(sent));
        expect({ status: reply.status, problem: reply.body?.detail }).toEqual({
          status: 202,
          problem: undefined,
        });
        routed.set(sent.id as string, reply.body.recipients as string[]);

        // No example carries an objection, and no one is suspended: every named participant receives it.
        const named = unique(envelope.named).filter((id) => id !== sender);
        expect(reply.body.withheld).toEqual([]);
        expect(reply.body.recipients.slice(0, named.length)).toEqual(named);
        expect(reply.body.recipients).not.toContain(sender);
        if (isStrict(envelope.tlp)) expect(reply.body.recipients).toEqual(named);
      }),
      { numRuns: runs.envelopes },
    );
  });

  it('refuses any invalid mutation of valid data with 422 schema-violation, naming the mutated field', async () => {
    const mutation = fc
      .constantFrom(
        ...EXAMPLES.map((e) => ({ ...e, mutations: mutationOf(registry.jsonSchema(e.type)!, e.data) })),
      )
      .chain(({ type, index, mutations }) => mutations.map((change) => ({ type, example: index, change })));
    await fc.assert(
      fc.asyncProperty(mutation, async ({ type, example: index, change }) => {
        const data = change.apply(example(type, index) as never);
        // The generator's own check: the published JSON Schema refuses the mutation too.
        expect({ mutation: change.description, validPerJsonSchema: validators.get(type)!(data) }).toEqual({
          mutation: change.description,
          validPerJsonSchema: false,
        });
        const sender = cast[publishersOf(type)[0]];
        const { jws, envelope } = await sender.signMessage({ type, data, tlp: 'amber' });
        const reply = await client.publish(jws);
        expect({ status: reply.status, type: reply.body?.type }).toEqual({
          status: 422,
          type: 'urn:rdx:problem:schema-violation',
        });
        const paths = (reply.body.errors as { path: string }[]).map((e) => e.path);
        expect({ mutation: change.description, paths }).toEqual({
          mutation: change.description,
          paths: expect.arrayContaining([change.path]),
        });
        expect((await client.admin('GET', `/v1/messages/${envelope.id}`)).status).toBe(404);
      }),
      { numRuns: runs.mutations },
    );
  });

  describe('for random nationalities, wishes, subscriptions and named recipients', () => {
    const subscriptionIds = new Map<CastId, string[]>();

    /** Publishes while `ids` are suspended, and reinstates them whatever happens. */
    async function publishWhileSuspended(ids: CastId[], jws: string): Promise<Reply> {
      for (const id of ids) await setParticipantStatus(client, id, 'suspended');
      try {
        return await client.publish(jws);
      } finally {
        for (const id of ids) await setParticipantStatus(client, id, 'active');
      }
    }

    /** Replaces every subscription of the cast with the scenario's. */
    async function subscribeAsIn(s: Scenario): Promise<void> {
      for (const [id, ids] of subscriptionIds) {
        for (const subscription of ids) {
          const gone = await client.as(cast[id], 'DELETE', `/v1/subscriptions/${subscription}`);
          if (gone.status !== 204) throw new Error(`unsubscribe ${id}: ${gone.status}`);
        }
      }
      subscriptionIds.clear();
      for (const { participant, types, sources } of s.subscriptions) {
        const made = await client.subscribe(
          cast[participant],
          types,
          sources === undefined ? {} : { filter: { sources } },
        );
        if (made.status !== 201)
          throw new Error(`subscribe ${participant}: ${made.status} ${JSON.stringify(made.body)}`);
        subscriptionIds.set(participant, [
          ...(subscriptionIds.get(participant) ?? []),
          made.body.id as string,
        ]);
      }
    }

    it("delivers only to the receipt's recipients, keeps need-to-know within the home states, obeys the victim and withholds the suspended", async () => {
      await fc.assert(
        fc.asyncProperty(scenario, async (s) => {
          await subscribeAsIn(s);
          const data = dataOf(s);
          const { jws, envelope } = await cast[s.sender].signMessage({
            type: s.type,
            data,
            tlp: s.tlp,
            handling: 'H2',
            ...(s.named.length === 0 ? {} : { recipients: s.named.join(' ') }),
          });
          const messageId = envelope.id as string;
          const named = unique(s.named).filter((id) => id !== s.sender);
          const reply = await publishWhileSuspended(s.suspended, jws);
          if (isStrict(s.tlp) && named.length === 0) {
            expect({ status: reply.status, type: reply.body?.type }).toEqual({
              status: 422,
              type: 'urn:rdx:problem:recipients-required',
            });
            return;
          }
          expect({ status: reply.status, problem: reply.body?.detail }).toEqual({
            status: 202,
            problem: undefined,
          });
          const recipients = reply.body.recipients as string[];
          const withheld = reply.body.withheld as { participant: string; reason: string }[];
          routed.set(messageId, recipients);

          // Nothing reaches anyone the receipt does not list, and everyone it lists gets it once.
          const holders = await ledger.awaitDelivery(messageId, recipients);
          expect(holders.sort()).toEqual([...recipients].sort());

          // Need-to-know: only named participants and the persons' states of nationality.
          const homes = new Set(s.persons.flatMap(homesOf));
          if (SHARING_POLICY.needToKnow.includes(s.type)) {
            const outsiders = holders.filter(
              (id) => !named.includes(id as CastId) && !homes.has(countryOf(id)),
            );
            expect({ outsiders }).toEqual({ outsiders: [] });
          }
          // The victim's wishes: nothing reaches the home state of a victim who objects or fears it.
          if (s.type === TYPES.victim) {
            const barred = new Set(s.persons.filter((p) => p.objects || p.fears).flatMap(homesOf));
            expect({ reachedDespiteWishes: holders.filter((id) => barred.has(countryOf(id))) }).toEqual({
              reachedDespiteWishes: [],
            });
          }
          if (isStrict(s.tlp)) expect(holders.filter((id) => !named.includes(id as CastId))).toEqual([]);

          // A suspended participant receives nothing.
          expect(holders.filter((id) => s.suspended.includes(id as CastId))).toEqual([]);

          // And exactly the routing the rules give, each withheld participant with a reason that applies.
          const expected = expectedRouting(s, data);
          expect({ recipients, withheld: withheld.map((w) => w.participant) }).toEqual({
            recipients: expected.recipients,
            withheld: expected.withheld.map((w) => w.participant),
          });
          withheld.forEach((w, i) => expect(expected.withheld[i].reasons).toContain(w.reason));
        }),
        { numRuns: runs.routing },
      );
    });
  });

  describe('found by these tests, and fixed', () => {
    it('an unknown property named like an Object.prototype member (valueOf, toString, hasOwnProperty) is refused', async () => {
      // Found by the mutation property above: class-transformer drops such keys, so class-validator never
      // saw them; the published JSON Schema refuses them (additionalProperties: false), and so does the gateway now.
      const cases: { path: string; data: () => Data }[] = [
        { path: 'data.valueOf', data: () => ({ ...example(TYPES.victim), valueOf: 'unexpected' }) },
        {
          path: 'data.persons[0].toString',
          data: () => {
            const data = example(TYPES.victim);
            Object.assign(data.persons![0], { toString: 'unexpected' });
            return data;
          },
        },
        {
          path: 'data.location.hasOwnProperty',
          data: () => {
            const data = example(TYPES.victim);
            Object.assign(data.location as object, { hasOwnProperty: { unexpected: true } });
            return data;
          },
        },
      ];
      const outcomes: { path: string; status: number; paths: string[] }[] = [];
      for (const { path, data } of cases) {
        const { jws, envelope } = await cast['KH.CNP'].signMessage({ type: TYPES.victim, data: data() });
        const reply = await client.publish(jws);
        if (reply.status === 202) routed.set(envelope.id as string, reply.body.recipients as string[]);
        const paths = ((reply.body.errors ?? []) as { path: string }[]).map((e) => e.path);
        outcomes.push({ path, status: reply.status, paths });
      }
      expect(outcomes).toEqual(
        cases.map(({ path }) => ({ path, status: 422, paths: expect.arrayContaining([path]) })),
      );
    });
  });

  describe('in the end', () => {
    it('no inbox holds a message whose receipt did not name it a recipient', async () => {
      await ledger.awaitAll(routed);
      await new Promise((r) => setTimeout(r, 300));
      await ledger.refreshAll();
      for (const id of CAST_IDS) {
        const items = ledger.itemsOf(id);
        expect(items.map((item) => item.seq)).toEqual(items.map((_item, i) => i + 1));
        const strays = items.filter((item) => !(routed.get(item.messageId) ?? []).includes(id));
        expect({ id, strays: strays.map((s) => s.messageId) }).toEqual({ id, strays: [] });
      }
    });
  });
});
